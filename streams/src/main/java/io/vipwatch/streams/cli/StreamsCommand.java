package io.vipwatch.streams.cli;

import io.vipwatch.schemas.cli.DurationConverter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vipwatch.ops.telemetry.MetricsOptions;
import io.vipwatch.ops.telemetry.StreamsTelemetry;
import io.vipwatch.ops.telemetry.Telemetry;
import io.vipwatch.ops.telemetry.TelemetryServer;
import io.vipwatch.schemas.cli.KafkaOptions;
import io.vipwatch.schemas.cli.StopSignal;
import io.vipwatch.schemas.cli.Usage;
import io.vipwatch.streams.StreamsSettings;
import io.vipwatch.streams.VipwatchStreams;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vipwatch streams}: runs the detection topology until SIGTERM, then shuts it down cleanly. */
@Command(name = "streams", mixinStandardHelpOptions = true,
        description = {"Runs the VIP ownership topology (Kafka Streams, exactly-once) until stopped.",
            "Inputs in; alerts, ownership changes and VIP state out."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:stopped cleanly", "1:Kafka Streams failed", "2:bad usage"})
public final class StreamsCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(StreamsCommand.class);

    @Mixin
    KafkaOptions kafka;

    @Mixin
    DetectionOptions detection;

    @Option(names = "--application-id", paramLabel = "ID",
            defaultValue = "${env:VIPWATCH_APPLICATION_ID}",
            description = "Kafka Streams application id: consumer group and internal topic prefix (env VIPWATCH_APPLICATION_ID; default: the topic prefix + vipwatch-streams, so tenants on one broker never share a group).")
    String applicationId;

    @Option(names = "--state-dir", paramLabel = "DIR",
            defaultValue = "${env:VIPWATCH_STATE_DIR:-${sys:java.io.tmpdir}/vipwatch-streams}",
            description = "Directory for the local state stores (env VIPWATCH_STATE_DIR; default ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(names = "--punctuation-interval", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "${env:VIPWATCH_PUNCTUATION_INTERVAL:-100ms}",
            description = "How often quiet clusters' clocks follow the wall clock (env VIPWATCH_PUNCTUATION_INTERVAL; default ${DEFAULT-VALUE}).")
    Duration punctuationInterval;

    @Option(names = "--wall-clock-advance", paramLabel = "true|false", arity = "1",
            defaultValue = "${env:VIPWATCH_WALL_CLOCK_ADVANCE:-true}",
            description = "Let quiet clusters' clocks follow the wall clock so grace timers fire without input (env VIPWATCH_WALL_CLOCK_ADVANCE; default ${DEFAULT-VALUE}).")
    boolean wallClockAdvance;

    @Option(names = "--wall-clock-window", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "${env:VIPWATCH_WALL_CLOCK_WINDOW:-24h}",
            description = {"The wall clock moves only clusters whose clock is within this of it (env VIPWATCH_WALL_CLOCK_WINDOW; default ${DEFAULT-VALUE}).",
                "A cluster further off is history being replayed: its own events move its clock, as in vipwatch analyze."})
    Duration wallClockWindow;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "${env:VIPWATCH_STREAMS_THREADS:-1}",
            description = "Stream threads (env VIPWATCH_STREAMS_THREADS; default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--standby-replicas", paramLabel = "N", defaultValue = "${env:VIPWATCH_STANDBY_REPLICAS:-0}",
            description = "Standby replicas of each state store (env VIPWATCH_STANDBY_REPLICAS; default ${DEFAULT-VALUE}).")
    int standbyReplicas;

    @Option(names = "--replication-factor", paramLabel = "N", defaultValue = "${env:VIPWATCH_REPLICATION_FACTOR:--1}",
            description = "Replication of internal topics, -1 for the broker default (env VIPWATCH_REPLICATION_FACTOR; default ${DEFAULT-VALUE}).")
    int replicationFactor;

    @Option(names = "--create-topics", paramLabel = "PARTITIONS", defaultValue = "${env:VIPWATCH_CREATE_TOPICS:-0}",
            description = "Create missing vipwatch topics with this many partitions first; 0 = don't (env VIPWATCH_CREATE_TOPICS; default ${DEFAULT-VALUE}).")
    int createTopics;

    @Option(names = "--repartition", paramLabel = "true|false", arity = "0..1", fallbackValue = "true",
            defaultValue = "${env:VIPWATCH_REPARTITION:-false}",
            description = {"Re-key every input by cluster through a repartition topic before detecting (env VIPWATCH_REPARTITION; default ${DEFAULT-VALUE}).",
                "Only for producers that do not partition input events by cluster; vipwatch's collectors and replay do, and then the inputs are read directly."})
    boolean repartition;

    @Mixin
    ClockPolicyOptions clockPolicy = new ClockPolicyOptions();

    @Mixin
    MetricsOptions metrics = new MetricsOptions();

    /** The default of --metrics-port for this role. */
    public static final int DEFAULT_METRICS_PORT = 9403;

    @Spec
    CommandSpec spec;

    public StreamsCommand() {
    }

    /** The settings these flags describe. @throws CommandLine.ParameterException naming the bad flag */
    public StreamsSettings settings() {
        final Properties client = Usage.check(spec, kafka::clientProperties);
        try {
            return StreamsSettings.of(client, kafka.topics()).withApplicationId(applicationId == null || applicationId.isBlank()
                    ? kafka.topics().prefix() + StreamsSettings.DEFAULT_APPLICATION_ID : applicationId).withStateDir(stateDir)
                    .withDetection(detection.toConfig()).withPunctuation(punctuationInterval, wallClockAdvance)
                    .withWallClockWindow(wallClockWindow)
                    .withThreads(threads).withStandbyReplicas(standbyReplicas)
                    .withReplicationFactor(replicationFactor).withCreateTopics(createTopics)
                    .withRepartition(repartition).withMaxClockSkew(clockPolicy.maxClockSkew());
        } catch (final IllegalArgumentException e) {
            final String message = e.getMessage().startsWith("--") ? e.getMessage() : "--" + e.getMessage();
            throw new CommandLine.ParameterException(spec.commandLine(), message);
        }
    }

    @Override
    public Integer call() throws Exception {
        final StreamsSettings settings = settings();
        // before the app starts: building the registry takes a moment, the stop signal must not wait for it
        final Telemetry telemetry = new Telemetry("streams");
        final PrintWriter err = spec.commandLine().getErr();
        final VipwatchStreams streams;
        try {
            streams = VipwatchStreams.start(settings, telemetry.registry());
        } catch (final RuntimeException e) {
            err.println("vipwatch streams could not start: " + e.getMessage());
            err.flush();
            return CommandLine.ExitCode.SOFTWARE;
        }
        try (StopSignal stop = StopSignal.install("streams");
             AutoCloseable binder = StreamsTelemetry.bind(telemetry, streams.kafkaStreams());
             TelemetryServer server = metrics.start(telemetry, DEFAULT_METRICS_PORT)) {
            while (!stop.awaitStop(1, TimeUnit.SECONDS)) {
                final KafkaStreams.State state = streams.state();
                if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING
                        || state == KafkaStreams.State.PENDING_ERROR) {
                    streams.close();
                    err.println("vipwatch streams stopped: state " + state
                            + (streams.failure() == null ? "" : ": " + streams.failure()));
                    err.flush();
                    return CommandLine.ExitCode.SOFTWARE;
                }
            }
            LOG.info("stopping on request");
            streams.close(); // commits, flushes the producers and the state stores
            return CommandLine.ExitCode.OK;
        }
    }
}
