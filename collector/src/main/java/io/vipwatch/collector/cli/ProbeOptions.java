package io.vipwatch.collector.cli;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import io.micrometer.core.instrument.MeterRegistry;
import io.vipwatch.collector.probe.ArpingProber;
import io.vipwatch.collector.probe.NdpProber;
import io.vipwatch.collector.probe.StaticVips;
import io.vipwatch.collector.probe.VipSource;
import io.vipwatch.collector.probe.VipStateVips;
import io.vipwatch.collector.probe.WireProbing;
import io.vipwatch.schemas.cli.DurationConverter;
import io.vipwatch.schemas.cli.KafkaOptions;
import picocli.CommandLine.Option;

/** The node agent's probe flags ({@code --probe} and its settings); docs/collectors.md, "Probing the wire". */
final class ProbeOptions {

    @Option(names = "--probe", defaultValue = "${env:VIPWATCH_PROBE:-false}", fallbackValue = "true", arity = "0..1",
            description = "Also ask the wire who answers for each VIP (ARP, NDP) and publish wire observations "
                    + "(env VIPWATCH_PROBE; default false). Needs CAP_NET_RAW.")
    boolean probe;

    @Option(names = "--probe-interval", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "${env:VIPWATCH_PROBE_INTERVAL:-10s}",
            description = "Time between rounds of probes, jittered by 10%% (env VIPWATCH_PROBE_INTERVAL; default 10s).")
    Duration interval;

    @Option(names = "--probe-window", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "${env:VIPWATCH_PROBE_WINDOW:-1s}",
            description = "How long one probe collects replies, whole seconds (env VIPWATCH_PROBE_WINDOW; default 1s).")
    Duration window;

    @Option(names = "--probe-concurrency", paramLabel = "N",
            defaultValue = "${env:VIPWATCH_PROBE_CONCURRENCY:-128}",
            description = "Probes at a time; each holds its slot for the whole window (env VIPWATCH_PROBE_CONCURRENCY; "
                    + "default 128: 1,000 VIPs in about 9 s).")
    int concurrency;

    @Option(names = "--probe-vips", paramLabel = "IP,...|@FILE", defaultValue = "${env:VIPWATCH_PROBE_VIPS}",
            description = "The VIPs to probe, a list or a file of one IP a line (env VIPWATCH_PROBE_VIPS; required "
                    + "with --output; default: the VIPs claimed in vipwatch.vip-state.v1).")
    String vips;

    @Option(names = "--arping-command", paramLabel = "COMMAND", defaultValue = "${env:VIPWATCH_ARPING_COMMAND:-arping}",
            description = "The command that runs iputils arping, split on spaces (env VIPWATCH_ARPING_COMMAND; "
                    + "default arping).")
    String arping;

    /** @throws IllegalArgumentException naming the flag of a bad value */
    WireProbing.Settings settings() {
        return new WireProbing.Settings(interval, window, concurrency);
    }

    /**
     * Where the VIP set comes from: {@code --probe-vips}, else the topic.
     *
     * @throws IllegalArgumentException when there is neither (a recording without --probe-vips)
     */
    VipSource vipSource(final boolean recording, final KafkaOptions kafka, final String cluster) {
        if (vips != null && !vips.isBlank()) {
            return StaticVips.parse(vips.strip());
        }
        if (recording) {
            throw new IllegalArgumentException("--probe with --output needs --probe-vips IP,...|@FILE (env "
                    + "VIPWATCH_PROBE_VIPS): without Kafka the agent cannot read the VIPs from "
                    + kafka.topics().vipState());
        }
        return new VipStateVips(kafka.clientProperties(), kafka.topics().vipState(), cluster);
    }

    WireProbing probing(final WireProbing.Addresses addresses, final Consumer<WireProbing.Result> publish,
            final MeterRegistry registry) {
        final List<String> command = NodeAgentCommand.command(arping);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("--arping-command must not be empty");
        }
        return new WireProbing(settings(), addresses, new ArpingProber(command), new NdpProber(), publish, registry,
                Clock.systemUTC());
    }
}
