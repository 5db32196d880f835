package io.vipwatch.collector.cli;

import io.vipwatch.schemas.cli.DurationConverter;
import io.vipwatch.schemas.cli.Usage;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vipwatch.collector.node.AddressSource;
import io.vipwatch.collector.node.NodeAgent;
import io.vipwatch.collector.node.NodeAgentSettings;
import io.vipwatch.collector.node.NodeAgentSettings.SourceKind;
import io.vipwatch.collector.publish.EventSink;
import io.vipwatch.collector.publish.MeteredEventSink;
import io.vipwatch.ops.telemetry.MetricsOptions;
import io.vipwatch.ops.telemetry.Telemetry;
import io.vipwatch.ops.telemetry.TelemetryServer;
import io.vipwatch.collector.publish.Provenance;
import io.vipwatch.collector.probe.VipSource;
import io.vipwatch.collector.probe.WireObservations;
import io.vipwatch.collector.probe.WireProbing;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code vipwatch node-agent}: publishes this node's global-scope addresses as a snapshot within a second of any
 * change and with every heartbeat, to Kafka or, with {@code --output}, to a recording. Exit codes: 0 stopped on
 * request, 1 failed, 2 bad usage or configuration.
 */
@Command(name = "node-agent", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Publish this node's global-scope addresses (interface, IP, prefix) and interface MACs on every "
                + "change and heartbeat, and with --probe who answers on the wire for each VIP, to Kafka or to a "
                + "recording with --output.")
public final class NodeAgentCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(NodeAgentCommand.class);

    @Mixin
    MetricsOptions metrics = new MetricsOptions();

    /** The default of --metrics-port for this role. */
    public static final int DEFAULT_METRICS_PORT = 9402;

    @Spec
    CommandSpec spec;

    @Option(names = "--node", paramLabel = "NAME", defaultValue = "${env:NODE_NAME}",
            description = "This node's name as the API server knows it (env NODE_NAME; required).")
    String node;

    @Option(names = "--heartbeat-interval", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "${env:VIPWATCH_HEARTBEAT_INTERVAL:-10s}",
            description = "Time between heartbeats, each with a full snapshot (env VIPWATCH_HEARTBEAT_INTERVAL; "
                    + "default 10s).")
    Duration heartbeatInterval;

    @Option(names = "--full-read-interval", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "${env:VIPWATCH_FULL_READ_INTERVAL:-5s}",
            description = "Time between full reads under change detection, publishing only a change (env "
                    + "VIPWATCH_FULL_READ_INTERVAL; default 5s).")
    Duration fullReadInterval;

    @Option(names = "--address-source", paramLabel = "auto|ip|java",
            defaultValue = "${env:VIPWATCH_ADDRESS_SOURCE:-auto}",
            description = "How addresses are read: ip (iproute2, ip monitor), java (NetworkInterface, polled) or "
                    + "auto (ip where it works) (env VIPWATCH_ADDRESS_SOURCE; default auto).")
    String addressSource;

    @Option(names = "--ip-command", paramLabel = "COMMAND", defaultValue = "${env:VIPWATCH_IP_COMMAND:-ip}",
            description = "The command that runs iproute2's ip, split on spaces, e.g. 'ip netns exec NS ip' (env "
                    + "VIPWATCH_IP_COMMAND; default ip).")
    String ipCommand;

    @Option(names = "--poll-interval", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "${env:VIPWATCH_POLL_INTERVAL:-100ms}",
            description = "How often the java address source polls (env VIPWATCH_POLL_INTERVAL; default 100ms).")
    Duration pollInterval;

    @Mixin
    PublishOptions publish = new PublishOptions();

    @Mixin
    ProbeOptions probe = new ProbeOptions();

    public NodeAgentCommand() {
    }

    public static void main(final String[] args) {
        System.exit(new CommandLine(new NodeAgentCommand()).execute(args));
    }

    /** The configuration the flags and environment give. @throws ParameterException naming the bad key */
    NodeAgentSettings config() {
        return Usage.check(spec, () -> {
            final String id = publish.clusterId();
            if (probe.probe) {
                probe.settings();
                probe.vipSource(publish.recording(), publish.kafka, id);
            }
            return new NodeAgentSettings(id, node, heartbeatInterval, fullReadInterval, sourceKind(addressSource),
                    command(ipCommand), pollInterval);
        });
    }

    /** With --probe: the probing and where its VIP set comes from. @throws ParameterException naming the bad key */
    private Probing probing(final NodeAgentSettings config, final AddressSource source, final EventSink sink,
            final Provenance provenance, final Telemetry telemetry) {
        if (!probe.probe) {
            return null;
        }
        return Usage.check(spec, () -> {
            final VipSource vips = probe.vipSource(publish.recording(), publish.kafka, config.cluster());
            final WireProbing probing = probe.probing(source::read,
                    result -> sink.publish(WireObservations.event(provenance, config.node(), result)),
                    telemetry.registry());
            return new Probing(probing, vips);
        });
    }

    /** The probing and its VIP source, closed together. */
    private record Probing(WireProbing probing, VipSource vips) implements AutoCloseable {
        void start() {
            probing.start(vips);
        }

        @Override
        public void close() {
            vips.close();
            probing.close();
        }
    }

    @Override
    public Integer call() {
        final NodeAgentSettings config = config();
        final Telemetry telemetry = new Telemetry("node-agent");
        final AtomicBoolean started = new AtomicBoolean();
        telemetry.readiness("agent", () -> started.get() ? Telemetry.Check.ok()
                : Telemetry.Check.notReady("not started yet"));
        final TelemetryServer telemetryServer = metrics.start(telemetry, DEFAULT_METRICS_PORT);
        final EventSink sink = new MeteredEventSink(publish.open(spec), telemetry.registry());
        try (telemetryServer; sink) {
            LOG.info("publishing to {}", publish.describe());
            final AddressSource source = NodeAgent.sourceFor(config);
            final Provenance provenance = Provenance.nodeAgent(config.cluster(), config.node(), Clock.systemUTC());
            final Probing probing = probing(config, source, sink, provenance, telemetry);
            final NodeAgent agent = new NodeAgent(config, source, sink, provenance);
            agent.start();
            if (probing != null) {
                LOG.info("probing {} every {} (window {}, {} at a time)", probing.vips().describe(),
                        probe.interval, probe.window, probe.concurrency);
                probing.start();
            }
            started.set(true);
            return RoleRunner.run("node agent", agent::awaitTermination, () -> {
                if (probing != null) {
                    probing.close();
                }
                agent.close();
                sink.flush();
            });
        }
    }

    private static SourceKind sourceKind(final String text) {
        try {
            return SourceKind.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (final IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("--address-source '" + text + "' must be one of auto, ip, java");
        }
    }

    /** A command line split on whitespace; empty for null. */
    static List<String> command(final String text) {
        return text == null ? List.of() : Arrays.stream(text.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }
}
