package io.vipwatch.app;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vipwatch.embedded.Directories;
import io.vipwatch.collector.publish.KafkaEventSink;
import io.vipwatch.collector.publish.RecordingEventSink;
import io.vipwatch.collector.sim.KubeVipConflictScenario;
import io.vipwatch.collector.sim.ScenarioPlayer;
import io.vipwatch.ops.alertmanager.AlertForwarder;
import io.vipwatch.ops.telemetry.AlertMetrics;
import io.vipwatch.ops.telemetry.MetricsOptions;
import io.vipwatch.ops.telemetry.StreamsTelemetry;
import io.vipwatch.ops.telemetry.Telemetry;
import io.vipwatch.ops.telemetry.TelemetryServer;
import io.vipwatch.schemas.avro.Alert;
import io.vipwatch.schemas.avro.AlertKind;
import io.vipwatch.schemas.avro.AlertState;
import io.vipwatch.schemas.cli.DurationConverter;
import io.vipwatch.schemas.cli.KafkaOptions;
import io.vipwatch.schemas.cli.Secrets;
import io.vipwatch.store.ApiSettings;
import io.vipwatch.store.History;
import io.vipwatch.store.HistoryApi;
import io.vipwatch.store.HistoryQueries;
import io.vipwatch.store.HistorySettings;
import io.vipwatch.store.HistoryWriter;
import io.vipwatch.store.Migrations;
import io.vipwatch.streams.StreamsSettings;
import io.vipwatch.streams.VipwatchStreams;
import io.vipwatch.streams.core.DetectionSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vipwatch demo}: every role in one JVM on a real Kafka broker and a real PostgreSQL (embedded unless
 * given), playing the kube-vip / MetalLB conflict of one simulated cluster with compressed timing.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {
            "Runs every role in one JVM on a real Kafka and PostgreSQL and plays the kube-vip/MetalLB conflict.",
            "Kafka and PostgreSQL are embedded unless given. In the simulated cluster kube-vip (svc_enable=true)",
            "binds MetalLB's VIP on control-plane node cp-1; alerts are printed as they open and resolve, and the",
            "history page is served while it runs."})
public final class DemoCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(DemoCommand.class);

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka = new KafkaOptions();

    @Option(names = "--jdbc-url", paramLabel = "URL", defaultValue = "${env:VIPWATCH_JDBC_URL}",
            description = "PostgreSQL to keep the history in (env VIPWATCH_JDBC_URL); default: an embedded one.")
    String jdbcUrl;

    @Option(names = "--jdbc-user", paramLabel = "USER", defaultValue = "${env:VIPWATCH_JDBC_USER}",
            description = "Database user (env VIPWATCH_JDBC_USER); the password comes from env VIPWATCH_JDBC_PASSWORD.")
    String jdbcUser;

    @Option(names = "--once", description = "Exit 0 once the conflict's alert has opened and resolved (non-zero if not).")
    boolean once;

    @Option(names = "--speed", paramLabel = "N", defaultValue = "10",
            description = "How much faster than real time the scenario plays (default ${DEFAULT-VALUE}).")
    double speed;

    @Option(names = "--cluster", paramLabel = "ID", defaultValue = "demo",
            description = "Cluster id of the simulated cluster (default ${DEFAULT-VALUE}).")
    String cluster;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "With --once: give up after this many seconds (default ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "8080",
            description = "Port of the history page and API on 127.0.0.1; 0 picks a free one (default ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--record", paramLabel = "FILE|-",
            description = "Write the scenario's events as a recording (JSON Lines) to FILE or stdout and exit; "
                    + "nothing is started. Try: vipwatch demo --record - | vipwatch analyze -")
    String record;

    @Option(names = "--alertmanager-url", paramLabel = "URL",
            description = "Also forward the alerts to this Alertmanager (repeatable), as vipwatch alertmanager does.")
    List<String> alertmanagerUrls = new ArrayList<>();

    @Mixin
    MetricsOptions metrics = new MetricsOptions();

    @Option(names = "--stop-after", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Without --once: stop cleanly (exit 0) after running this long, e.g. 2m (default: until Ctrl-C).")
    Duration stopAfter;

    @Override
    public Integer call() throws Exception {
        if (record != null) {
            try (RecordingEventSink sink = RecordingEventSink.open(record)) {
                new KubeVipConflictScenario(cluster, System.currentTimeMillis()).events().forEach(sink::publish);
            }
            return 0;
        }
        if (speed <= 0) {
            throw new IllegalArgumentException("--speed must be positive, got " + speed);
        }
        final PrintWriter out = spec.commandLine().getOut();
        final Instant started = Instant.now();
        final CountDownLatch stop = new CountDownLatch(1);
        final Thread hook = new Thread(stop::countDown, "demo-shutdown");
        if (!once) {
            Runtime.getRuntime().addShutdownHook(hook);
        }
        final Path stateDir = Files.createTempDirectory("vipwatch-demo-streams");
        try (DemoPlatform platform = new DemoPlatform(kafka, jdbcUrl, jdbcUser, System.getenv("VIPWATCH_JDBC_PASSWORD"))) {
            platform.own(() -> Directories.deleteRecursively(stateDir));
            Migrations.migrate(platform.dataSource());
            final Telemetry telemetry = new Telemetry("demo");
            final AlertConsole console = platform.own(
                    new AlertConsole(platform.kafkaClient(), platform.topics().alerts(), out));
            final ConflictWatch watch = new ConflictWatch(cluster);
            console.onAlert(watch::accept);
            console.onAlert(new AlertMetrics(telemetry.registry())::record);
            console.start();

            platform.own(HistoryWriter.start(
                    HistorySettings.of(platform.kafkaClient(), platform.topics(), platform.dataSource())
                            .withGroupId(platform.topics().prefix() + "vipwatch-demo-store"), telemetry.registry()));
            final VipwatchStreams streams = platform.own(VipwatchStreams.start(StreamsSettings.of(platform.kafkaClient(), platform.topics())
                    .withApplicationId(platform.topics().prefix() + "vipwatch-demo-streams")
                    .withStateDir(stateDir)
                    .withDetection(compressed(DetectionSettings.defaults(), speed)), telemetry.registry()));
            platform.own(StreamsTelemetry.bind(telemetry, streams.kafkaStreams()));
            final HistoryApi api = platform.own(HistoryApi.start(
                    ApiSettings.of(platform.dataSource()).withAddress("127.0.0.1", httpPort), HistoryApi.telemetryRoutes(telemetry)));
            final TelemetryServer metricsServer = metrics.start(telemetry, -1);
            if (metricsServer != null) {
                platform.own(metricsServer);
            }
            if (!alertmanagerUrls.isEmpty()) {
                platform.own(AlertForwarder.start(AlertForwarder.Settings.of(platform.kafkaClient(),
                                platform.topics().alerts(), alertmanagerUrls)
                        .withGroupId("vipwatch-demo-alertmanager").withPageUrl(api.uri().toString()), telemetry));
                out.println("vipwatch demo: forwarding alerts to " + alertmanagerUrls.stream().map(Secrets::maskUrl).toList());
            }
            out.println("vipwatch demo: history page at " + api.uri() + "vip.html?cluster=" + cluster + "&ip="
                    + KubeVipConflictScenario.VIP);
            out.println("vipwatch demo: playing cluster '" + cluster + "' at " + speed + "x: MetalLB announces "
                    + KubeVipConflictScenario.VIP + " from " + KubeVipConflictScenario.SPEAKER_NODE
                    + ", kube-vip binds it on " + KubeVipConflictScenario.CONFLICT_NODE + ", then the Service is deleted");

            final KafkaEventSink sink = platform.own(new KafkaEventSink(platform.kafkaClient(), platform.topics()));
            // compressed, not shifted: event times are the wall clock at which each event is published, and the
            // detection's time tunables are compressed by the same factor (docs/operations.md, "The demo's clock")
            final KubeVipConflictScenario scenario = new KubeVipConflictScenario(cluster, System.currentTimeMillis(), speed);
            final CountDownLatch playerStop = new CountDownLatch(1);
            final Thread player = new Thread(() -> playCluster(sink, scenario, playerStop), "demo-cluster");
            player.setDaemon(true);
            player.start();
            // closed before the sink: the simulated cluster stops publishing before its producer closes
            platform.own(() -> {
                playerStop.countDown();
                player.interrupt();
                player.join(Duration.ofSeconds(10).toMillis());
            });

            if (!once) {
                watch.onResolved(() -> printExplore(out, api.uri().toString()));
                if (stopAfter == null) {
                    stop.await();
                } else {
                    stop.await(stopAfter.toMillis(), TimeUnit.MILLISECONDS);
                }
                out.println("vipwatch demo: stopping");
                return 0;
            }
            final boolean resolved = watch.awaitResolved(Duration.ofSeconds(timeoutSeconds));
            if (!resolved) {
                out.println("vipwatch demo: FAILED — no FOREIGN_BINDING alert on "
                        + KubeVipConflictScenario.CONFLICT_NODE + " opened and resolved within " + timeoutSeconds + " s");
                return 1;
            }
            final boolean stored = awaitStoredEpisode(platform, started, Duration.ofSeconds(30));
            if (!stored) {
                out.println("vipwatch demo: FAILED — the alert episode did not reach PostgreSQL");
                return 1;
            }
            out.println("vipwatch demo: OK — FOREIGN_BINDING on " + KubeVipConflictScenario.CONFLICT_NODE
                    + " opened and resolved, and its episode is in PostgreSQL (" + Secrets.maskUrl(platform.jdbcUrl())
                    + "), in " + Duration.between(started, Instant.now()).toSeconds() + " s");
            printExplore(out, api.uri().toString());
            return 0;
        } finally {
            if (!once) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (final IllegalStateException e) {
                    // already shutting down
                }
            }
        }
    }

    /** The detection's time tunables compressed like the demo's clock, so it decides as on the real timeline. */
    static DetectionSettings compressed(final DetectionSettings config, final double speed) {
        return config.withGrace(scale(config.grace(), speed))
                .withSilenceAfter(scale(config.silenceAfter(), speed))
                .withMergeWindow(scale(config.mergeWindow(), speed))
                .withDamping(config.flapPenalty(), scale(config.flapHalfLife(), speed), config.flapSuppress(),
                        config.flapReuse(), config.flapCap());
    }

    private static Duration scale(final Duration duration, final double speed) {
        return Duration.ofMillis(Math.max(1, Math.round(duration.toMillis() / speed)));
    }

    /**
     * Plays the scenario at real time (its stamps are already compressed), then keeps the simulated cluster
     * alive: every source goes on sending heartbeats, as a healthy cluster's collectors do, until the demo stops.
     */
    private static void playCluster(final KafkaEventSink sink, final KubeVipConflictScenario scenario,
                                    final CountDownLatch stop) {
        try {
            if (!new ScenarioPlayer(sink, 1).play(scenario.events(), () -> stop.getCount() > 0)) {
                return;
            }
            while (!stop.await(scenario.heartbeatIntervalMs(), TimeUnit.MILLISECONDS)) {
                scenario.heartbeats(System.currentTimeMillis()).forEach(sink::publish);
                sink.flush();
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (final RuntimeException e) {
            if (stop.getCount() > 0) {
                LOG.error("the simulated cluster stopped: {}", e.toString());
            }
        }
    }

    /** The commands to explore the incident once it is over. */
    private void printExplore(final PrintWriter out, final String apiUri) {
        final String api = apiUri.endsWith("/") ? apiUri.substring(0, apiUri.length() - 1) : apiUri;
        out.println("vipwatch demo: explore the incident (while the demo runs):");
        out.println("  ./vipwatch history alerts --api " + api + " --cluster " + cluster + " --from now-1h");
        out.println("  ./vipwatch history timeline --api " + api + " --cluster " + cluster + " --vip "
                + KubeVipConflictScenario.VIP + " --from now-1h");
        out.println("  ./vipwatch history owner --api " + api + " --cluster " + cluster + " --vip "
                + KubeVipConflictScenario.VIP);
        out.println("  open " + api + "/vip.html?cluster=" + cluster + "&ip=" + KubeVipConflictScenario.VIP);
        out.flush();
    }

    /** Polls the history until the episode is stored as resolved, the way a user would ask for it. */
    private boolean awaitStoredEpisode(final DemoPlatform platform, final Instant since, final Duration timeout)
            throws InterruptedException {
        final HistoryQueries queries = HistoryQueries.of(platform.dataSource());
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                final History.Episodes episodes = queries.episodes(cluster, AlertKind.FOREIGN_BINDING.name(),
                        since.minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofHours(1)));
                if (episodes.resolved() > 0) {
                    return true;
                }
            } catch (final RuntimeException e) {
                LOG.debug("history not ready yet: {}", e.toString());
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        return false;
    }

    /** Waits for the demo's alert: FOREIGN_BINDING naming cp-1, opened and then resolved. */
    static final class ConflictWatch {
        private final String cluster;
        private final AtomicReference<String> openedEpisode = new AtomicReference<>();
        private final CountDownLatch resolved = new CountDownLatch(1);
        private volatile Runnable onResolved = () -> { };

        ConflictWatch(final String cluster) {
            this.cluster = cluster;
        }

        void onResolved(final Runnable action) {
            onResolved = action;
            if (resolved.getCount() == 0) {
                action.run();
            }
        }

        void accept(final Alert alert) {
            if (alert.getKind() != AlertKind.FOREIGN_BINDING || !cluster.equals(alert.getCluster())) {
                return;
            }
            if (alert.getState() == AlertState.OPENED && alert.getNodes().contains(KubeVipConflictScenario.CONFLICT_NODE)) {
                openedEpisode.compareAndSet(null, alert.getEpisode());
            } else if (alert.getState() == AlertState.RESOLVED && alert.getEpisode().equals(openedEpisode.get())
                    && resolved.getCount() > 0) {
                resolved.countDown();
                onResolved.run();
            }
        }

        boolean awaitResolved(final Duration timeout) throws InterruptedException {
            return resolved.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
