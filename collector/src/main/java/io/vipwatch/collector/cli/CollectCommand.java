package io.vipwatch.collector.cli;

import io.vipwatch.schemas.cli.DurationConverter;
import io.vipwatch.schemas.cli.Usage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.Gauge;
import io.vipwatch.collector.cluster.ClusterCollector;
import io.vipwatch.collector.cluster.WatchedResource;
import io.vipwatch.collector.cluster.CollectorSettings;
import io.vipwatch.collector.publish.EventSink;
import io.vipwatch.collector.publish.MeteredEventSink;
import io.vipwatch.ops.telemetry.MetricsOptions;
import io.vipwatch.ops.telemetry.Telemetry;
import io.vipwatch.ops.telemetry.TelemetryServer;
import io.vipwatch.collector.publish.Provenance;
import io.vipwatch.collector.publish.PublicationMemory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code vipwatch collect}: the API collector of one cluster. Reads Services, MetalLB's status objects (or the
 * speaker's Events), kube-vip's Leases and pods, and Nodes, and publishes what changes to Kafka, or with
 * {@code --output} to a recording. Exit codes: 0 stopped on request, 1 failed, 2 bad usage or configuration.
 */
@Command(name = "collect", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Collect one cluster's LoadBalancer Services, speaker announcements and node facts from the "
                + "Kubernetes API (read-only) and publish them to Kafka, or to a recording with --output.")
public final class CollectCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(CollectCommand.class);
    static final long SYNC_TIMEOUT_MS = 60_000;

    @Mixin
    MetricsOptions metrics = new MetricsOptions();

    /** The default of --metrics-port for this role. */
    public static final int DEFAULT_METRICS_PORT = 9401;

    @Spec
    CommandSpec spec;

    @Option(names = "--kubeconfig", paramLabel = "FILE", defaultValue = "${env:VIPWATCH_KUBECONFIG}",
            description = "Kubeconfig file (env VIPWATCH_KUBECONFIG; default: in-cluster service account, else "
                    + "$KUBECONFIG or ~/.kube/config).")
    Path kubeconfig;

    @Option(names = "--context", paramLabel = "NAME", defaultValue = "${env:VIPWATCH_KUBE_CONTEXT}",
            description = "Kubeconfig context (env VIPWATCH_KUBE_CONTEXT; default: the current context).")
    String context;

    @Option(names = "--heartbeat-interval", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "${env:VIPWATCH_HEARTBEAT_INTERVAL:-10s}",
            description = "Time between heartbeats (env VIPWATCH_HEARTBEAT_INTERVAL; default 10s).")
    Duration heartbeatInterval;

    @Option(names = "--resync-interval", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "${env:VIPWATCH_RESYNC_INTERVAL:-5m}",
            description = "Informer resync; unchanged objects publish nothing (env VIPWATCH_RESYNC_INTERVAL; "
                    + "default 5m).")
    Duration resyncInterval;

    @Option(names = "--relist-interval", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "${env:VIPWATCH_RELIST_INTERVAL:-30m}",
            description = "Time between full relists from the API server, 0 for none (env "
                    + "VIPWATCH_RELIST_INTERVAL; default 30m).")
    Duration relistInterval;

    @Option(names = "--kube-vip-namespace", paramLabel = "NAMESPACE",
            defaultValue = "${env:VIPWATCH_KUBE_VIP_NAMESPACE:-kube-system}",
            description = "Namespace of kube-vip's pods (env VIPWATCH_KUBE_VIP_NAMESPACE; default kube-system).")
    String kubeVipNamespace;

    @Option(names = "--event-field-selector", paramLabel = "KEY=VALUE[,...]",
            defaultValue = "${env:VIPWATCH_EVENT_FIELD_SELECTOR:-reason=nodeAssigned}",
            description = "Server-side filter of the Events read where MetalLB has no status CRDs (env "
                    + "VIPWATCH_EVENT_FIELD_SELECTOR; default reason=nodeAssigned).")
    String eventFieldSelector;

    @Option(names = "--state-file", paramLabel = "FILE", defaultValue = "${env:VIPWATCH_STATE_FILE}",
            description = "With --output: where the collector remembers what it published, so that a restart "
                    + "publishes what changed meanwhile, deletions included (env VIPWATCH_STATE_FILE; default none: a "
                    + "restart misses what vanished). Publishing to Kafka it remembers in vipwatch.collector-state.v1.")
    Path stateFile;

    @Mixin
    PublishOptions publish = new PublishOptions();

    public CollectCommand() {
    }

    public static void main(final String[] args) {
        System.exit(new CommandLine(new CollectCommand()).execute(args));
    }

    /** The configuration the flags and environment give. @throws ParameterException naming the bad key */
    CollectorSettings config() {
        return Usage.check(spec, () -> {
            final String id = publish.clusterId();
            if (kubeconfig != null && !Files.isReadable(kubeconfig)) {
                throw new IllegalArgumentException("--kubeconfig " + kubeconfig + ": no such readable file");
            }
            return new CollectorSettings(id, kubeconfig, blankToNull(context), heartbeatInterval, resyncInterval,
                    relistInterval, kubeVipNamespace, eventFieldSelector);
        });
    }

    @Override
    public Integer call() {
        final CollectorSettings config = config();
        final Telemetry telemetry = new Telemetry("collect");
        final AtomicBoolean started = new AtomicBoolean();
        telemetry.readiness("informers", () -> started.get() ? Telemetry.Check.ok()
                : Telemetry.Check.notReady("informers not synced yet"));
        final EventSink published = publish.open(spec);
        // counted and timed; the memory below looks at the publisher itself (Kafka or a recording)
        final EventSink sink = new MeteredEventSink(published, telemetry.registry());
        final KubernetesClient client;
        try {
            client = client(config);
        } catch (final RuntimeException e) {
            sink.close();
            throw new ParameterException(spec.commandLine(), "--kubeconfig " + config.kubeconfig() + " --context "
                    + config.context() + ": cannot configure the Kubernetes client: " + e.getMessage(), e);
        }
        final PublicationMemory memory;
        try {
            memory = publish.memory(published, config.cluster(), stateFile, spec);
        } catch (final ParameterException e) {
            sink.close();
            client.close();
            throw e;
        }
        final TelemetryServer telemetryServer = metrics.start(telemetry, DEFAULT_METRICS_PORT);
        try (telemetryServer; sink; client; memory) {
            LOG.info("publishing to {}, remembering in {}", publish.describe(), memory.describe());
            if (memory == PublicationMemory.NONE) {
                LOG.warn("no --state-file: objects deleted while this collector is stopped will not be published");
            }
            final ClusterCollector collector = new ClusterCollector(client, config, sink,
                    Provenance.collector(config.cluster(), Clock.systemUTC()), memory);
            try {
                collector.start(SYNC_TIMEOUT_MS);
                started.set(true);
                // after the start, so its first list and heartbeat are not held back
                for (final WatchedResource resource : WatchedResource.values()) {
                    Gauge.builder("vipwatch_watch_status", collector,
                                    c -> c.isWatching(resource) ? 1 : 0)
                            .description("1 while the resource's informer has listed and watches, else 0 (not installed, "
                                    + "cut off, relisting)")
                            .tags("cluster", config.cluster(), "resource", resource.qualifiedName()).strongReference(true)
                            .register(telemetry.registry());
                }
            } catch (final KubernetesClientException e) {
                collector.close();
                LOG.error("cannot read from the Kubernetes API at {}: {}", client.getMasterUrl(), e.getMessage());
                return 1;
            } catch (final IllegalArgumentException e) {
                collector.close();
                throw new ParameterException(spec.commandLine(), e.getMessage(), e);
            } catch (final RuntimeException e) {
                collector.close();
                LOG.error("cannot start: {}", e.getMessage());
                return 1;
            }
            return RoleRunner.run("collector", collector::awaitTermination, () -> {
                collector.close();
                sink.flush();
            });
        }
    }

    static KubernetesClient client(final CollectorSettings config) {
        final Config kube = config.kubeconfig() != null
                ? Config.fromKubeconfig(config.context(), new File(config.kubeconfig().toString()))
                : Config.autoConfigure(config.context());
        return new KubernetesClientBuilder().withConfig(kube).build();
    }

    private static String blankToNull(final String text) {
        return text == null || text.isBlank() ? null : text.trim();
    }
}
