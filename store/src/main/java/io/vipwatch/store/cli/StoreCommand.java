package io.vipwatch.store.cli;

import io.vipwatch.schemas.cli.DurationConverter;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vipwatch.ops.telemetry.MetricsOptions;
import io.vipwatch.ops.telemetry.Telemetry;
import io.vipwatch.ops.telemetry.TelemetryServer;
import io.vipwatch.schemas.cli.KafkaOptions;
import io.vipwatch.schemas.cli.StopSignal;
import io.vipwatch.store.ApiSettings;
import io.vipwatch.store.HistoryApi;
import io.vipwatch.store.HistorySettings;
import io.vipwatch.store.HistoryWriter;
import io.vipwatch.store.Migrations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vipwatch store}: the history sink, optionally serving the API and page too. */
@Command(name = "store", mixinStandardHelpOptions = true,
        description = {"Stores ownership changes, alerts, VIP states and heartbeats (with --raw every input event)"
                + " in PostgreSQL, exactly once: each batch commits with its Kafka offsets.",
            "Exit codes: 0 stopped, 1 failed, 2 bad usage or configuration."})
public final class StoreCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(StoreCommand.class);

    @Mixin
    KafkaOptions kafka = new KafkaOptions();

    @Mixin
    JdbcOptions jdbc = new JdbcOptions();

    @Option(names = "--group", paramLabel = "ID", defaultValue = "${env:VIPWATCH_STORE_GROUP}",
            description = "Consumer group, also the key of the stored offsets (env VIPWATCH_STORE_GROUP; default the topic prefix + vipwatch-store).")
    String group;

    @Option(names = "--raw", defaultValue = "${env:VIPWATCH_STORE_RAW:-false}", fallbackValue = "true", arity = "0..1",
            description = "Also store every input event: the full audit trail (env VIPWATCH_STORE_RAW; default ${DEFAULT-VALUE}).")
    boolean raw;

    @Option(names = "--retention", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "${env:VIPWATCH_STORE_RETENTION:-0}",
            description = "Drop monthly partitions wholly older than this, e.g. 400d; 0 keeps everything"
                    + " (env VIPWATCH_STORE_RETENTION; default ${DEFAULT-VALUE}).")
    Duration retention;

    @Option(names = "--max-poll-records", paramLabel = "N", defaultValue = "${env:VIPWATCH_STORE_MAX_POLL_RECORDS:-5000}",
            description = "Most records per batch, i.e. per transaction (env VIPWATCH_STORE_MAX_POLL_RECORDS; default ${DEFAULT-VALUE}).")
    int maxPollRecords;

    @Option(names = "--migrate", negatable = true, defaultValue = "${env:VIPWATCH_STORE_MIGRATE:-true}", fallbackValue = "true",
            description = "Apply the Flyway migrations first; needs a user that may create tables and roles"
                    + " (env VIPWATCH_STORE_MIGRATE; default ${DEFAULT-VALUE}).")
    boolean migrate;

    @Option(names = "--serve", paramLabel = "HOST:PORT", defaultValue = "${env:VIPWATCH_STORE_SERVE}",
            description = "Also serve the HTTP API and page here, e.g. 127.0.0.1:8080 (env VIPWATCH_STORE_SERVE;"
                    + " default: not served; production should run `vipwatch serve` as the read-only role).")
    String serve;

    @Mixin
    MetricsOptions metrics = new MetricsOptions();

    /** The default of --metrics-port for this role. */
    public static final int DEFAULT_METRICS_PORT = 9404;

    @Spec
    CommandSpec spec;

    public StoreCommand() {
    }

    @Override
    public Integer call() {
        final PrintWriter err = spec.commandLine().getErr();
        final HistorySettings settings;
        final DataSource dataSource;
        final Listen listen;
        try {
            if (maxPollRecords < 1) {
                throw new IllegalArgumentException("--max-poll-records must be at least 1, got " + maxPollRecords);
            }
            listen = serve == null || serve.isBlank() ? null : Listen.parse("--serve", serve);
            dataSource = jdbc.dataSource("vipwatch-store", 4);
            settings = HistorySettings.of(kafka.clientProperties(), kafka.topics(), dataSource)
                    .withGroupId(group == null || group.isBlank() ? kafka.topics().prefix() + HistorySettings.DEFAULT_GROUP_ID : group)
                    .withRaw(raw).withRetention(retention)
                    .withPoll(Duration.ofMillis(500), maxPollRecords);
        } catch (final IllegalArgumentException e) {
            err.println("vipwatch store: " + e.getMessage());
            return 2;
        }
        try {
            if (migrate) {
                final int applied = Migrations.migrate(dataSource);
                LOG.info("history schema up to date ({} migrations applied)", applied);
            }
            return run(settings, listen, dataSource, metrics);
        } catch (final RuntimeException e) {
            err.println("vipwatch store: " + e.getMessage());
            LOG.error("store failed", e);
            return 1;
        } finally {
            JdbcOptions.close(dataSource);
        }
    }

    /** The sink's counters and readiness: running and the database reachable. */
    private static Telemetry bind(final Telemetry telemetry, final HistoryWriter writer, final DataSource dataSource) {
        final MeterRegistry registry = telemetry.registry();
        FunctionCounter.builder("vipwatch_sink_records", writer, HistoryWriter::storedRecords)
                .description("Records the sink stored in PostgreSQL").register(registry);
        // vipwatch_dead_letters_total{reason,topic} and vipwatch_sink_batch_records, _commit, _rows: counted by the sink
        FunctionCounter.builder("vipwatch_sink_failed_writes", writer, HistoryWriter::failedWrites)
                .description("Batches whose write failed (retried)").register(registry);
        telemetry.readiness("sink", () -> writer.isRunning() ? Telemetry.Check.ok()
                : Telemetry.Check.notReady("the sink stopped: " + writer.failure().map(Throwable::toString).orElse("unknown")));
        telemetry.readiness("database", () -> ServeCommand.databaseReachable(dataSource));
        return telemetry;
    }

    private static int run(final HistorySettings settings, final Listen listen, final DataSource dataSource,
                           final MetricsOptions metrics) {
        final Telemetry telemetry = new Telemetry("store");
        try (StopSignal stop = StopSignal.install("store");
                HistoryWriter writer = HistoryWriter.start(settings, telemetry.registry());
                TelemetryServer server = metrics.start(bind(telemetry, writer, dataSource), DEFAULT_METRICS_PORT);
                HistoryApi api = listen == null ? null
                        : HistoryApi.start(ApiSettings.of(dataSource).withAddress(listen.host(), listen.port())
                                .withBearerToken(ApiToken.read(null, System.getenv())), HistoryApi.telemetryRoutes(telemetry))) {
            while (!stop.awaitStop(1, TimeUnit.SECONDS)) {
                if (!writer.isRunning()) {
                    LOG.error("the sink stopped: {}", writer.failure().map(Throwable::toString).orElse("unknown"));
                    return 1;
                }
            }
            LOG.info("stopping on request");
            return 0; // closing the writer commits its last batch with its offsets
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }
}
