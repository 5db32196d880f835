package io.vipwatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vipwatch.testkit.KafkaTestCluster;
import io.vipwatch.testkit.Poll;
import io.vipwatch.testkit.TestDatabase;
import io.vipwatch.testkit.WithKafka;
import io.vipwatch.testkit.WithPostgres;
import picocli.CommandLine;

/**
 * The demo as a new user leaves it running after its incident (issue 13, item 6): the simulated cluster stays
 * alive (no COLLECTOR_SILENT), it stops without an ERROR, nothing is stamped ahead of the wall clock so
 * {@code history alerts --from now-1h} right after finds the incident, it prints how to explore it, and no
 * password reaches the output or the log.
 */
@WithKafka
@WithPostgres
class DemoLifeIT {

    private static final String SECRET = "demo-s3cret-pw";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static HttpResponse<String> get(final String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The value of one series in a Prometheus text exposition, 0 when absent. */
    private static double counter(final String body, final String series) {
        return body.lines().filter(line -> line.startsWith(series + " ")).findFirst()
                .map(line -> Double.parseDouble(line.substring(series.length() + 1).trim())).orElse(0.0);
    }

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    @BeforeEach
    void captureLog() {
        log.start();
        root.addAppender(log);
    }

    @AfterEach
    void releaseLog() {
        root.detachAppender(log);
    }

    @Test
    void keptRunningAfterItsIncidentTheDemoStaysQuietStopsCleanlyAndItsIncidentIsInTheLastHour(
            final KafkaTestCluster kafka, final TestDatabase db) throws Exception {
        final String jdbcUrl = db.jdbcUrl() + (db.jdbcUrl().contains("?") ? "&" : "?") + "password=" + SECRET;
        final StringWriter out = new StringWriter();
        final CommandLine demo = Main.commandLine();
        demo.setOut(new PrintWriter(out, true));

        // 100 s of scenario at 20x is 5 s; the rest is the cluster after its incident, 10x the silence threshold
        final CompletableFuture<Integer> running = CompletableFuture.supplyAsync(() ->
                demo.execute("demo", "--speed", "20", "--http-port", "0", "--stop-after", "20s",
                        "--bootstrap-servers", kafka.bootstrapServers(), "--topic-prefix", kafka.topicPrefix(),
                        "--jdbc-url", jdbcUrl, "--jdbc-user", db.user(), "--cluster", "demo-life"));

        // while it runs, its HTTP port answers /metrics, /readyz and /healthz
        final String base = Poll.until("the demo's page address", Duration.ofSeconds(120), () -> {
            final var matcher = Pattern.compile("history page at (http://127\\.0\\.0\\.1:\\d+/)")
                    .matcher(out.toString());
            return matcher.find() ? matcher.group(1) : null;
        }, found -> found != null);
        Poll.until("/readyz answers 200", Duration.ofSeconds(60), () -> get(base + "readyz").statusCode(), code -> code == 200);
        assertThat(get(base + "healthz").statusCode()).isEqualTo(200);
        final String metrics = Poll.until("the incident's transitions counted in /metrics", Duration.ofSeconds(60),
                () -> get(base + "metrics").body(),
                body -> body.contains("vipwatch_alert_transitions_total{kind=\"FOREIGN_BINDING\",role=\"demo\",state=\"RESOLVED\"}")
                        && body.contains("vipwatch_alerts_open{kind=\"FOREIGN_BINDING\",role=\"demo\",severity=\"critical\"} 0.0"));
        assertThat(metrics).contains("vipwatch_alerts_open{kind=\"FOREIGN_BINDING\",role=\"demo\",severity=\"critical\"} 0.0",
                "vipwatch_ready{role=\"demo\"} 1.0", "vipwatch_streams_running{role=\"demo\"} 1.0",
                "kafka_stream_", "kafka_consumer_", "jvm_memory_used_bytes");
        // one bad heartbeat is dead-lettered by its reason code; heartbeat ages and the sink's batches are live
        final String heartbeats = kafka.topic("vipwatch.heartbeats.v1");
        kafka.produce(List.of(new ProducerRecord<>(heartbeats, "demo-life/bogus",
                        new byte[] {1, 2, 3})), new StringSerializer(),
                new ByteArraySerializer());
        final String deadLetter = "vipwatch_dead_letters_total{reason=\"undecodable\",role=\"demo\",topic=\"" + heartbeats + "\"}";
        final String live = Poll.until("the bad heartbeat counted in /metrics", Duration.ofSeconds(30),
                () -> get(base + "metrics").body(), body -> counter(body, deadLetter) >= 1);
        assertThat(live).containsPattern("vipwatch_heartbeat_age_seconds\\{cluster=\"demo-life\",role=\"demo\",source=\"[^\"]+\"} \\d")
                .contains("vipwatch_sink_batch_records_count{role=\"demo\"}", "vipwatch_sink_commit_seconds_count{role=\"demo\"}")
                .containsPattern("vipwatch_sink_commit_seconds\\{[^}]*quantile=\"0.99\"");
        final double sinkRows = counter(live, "vipwatch_sink_rows_total{role=\"demo\"}");
        assertThat(sinkRows).isPositive();
        // the names the dashboard (deploy/grafana/vipwatch.json, GrafanaDashboardTest) graphs for the demo's roles
        assertThat(live).contains("kafka_stream_thread_process_rate{", "kafka_consumer_fetch_manager_records_lag_max{",
                "vipwatch_sink_batch_records_max{", "vipwatch_sink_commit_seconds_sum{",
                "jvm_memory_max_bytes{", "kafka_consumer_fetch_manager_records_consumed_total{");
        Poll.until("the sink's rows growing", Duration.ofSeconds(30), () -> counter(get(base + "metrics").body(),
                "vipwatch_sink_rows_total{role=\"demo\"}"), now -> now > sinkRows);
        if (Files.isExecutable(Path.of("/usr/bin/promtool"))) {
            // parses (exit 1 would be a parse error); lint findings only for the JVM binders' names, not ours
            final Process promtool = new ProcessBuilder("/usr/bin/promtool", "check", "metrics").redirectErrorStream(true).start();
            try (var in = promtool.getOutputStream()) {
                in.write(metrics.getBytes(StandardCharsets.UTF_8));
            }
            final String lint = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(promtool.waitFor()).as(lint).isIn(0, 3);
            assertThat(lint.lines()).as(lint).noneMatch(line -> line.startsWith("vipwatch_"));
        }

        final int exit = running.get(120, TimeUnit.SECONDS);
        final Instant stopped = Instant.now();

        assertThat(exit).as("exit code; output:%n%s", out).isZero();
        final List<String> lines = out.toString().lines().toList();
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("RESOLVED", "FOREIGN_BINDING", "cp-1"));
        // (a demo-it cluster of another test class that stopped may show up silent: it really went quiet)
        assertThat(lines.stream().filter(line -> line.contains("cluster=demo-life ")))
                .as("alerts a healthy cluster would not raise").noneSatisfy(line ->
                        assertThat(line).containsAnyOf("COLLECTOR_SILENT", "FLAPPING", "UNANNOUNCED", "ORPHANED"));
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("vipwatch history alerts --api http://127.0.0.1:",
                "--cluster demo-life --from now-1h"));
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("vip.html?cluster=demo-life&ip=198.51.100.10"));
        assertThat(out.toString()).doesNotContain(SECRET);

        assertThat(log.list).as("log lines at ERROR").noneMatch(event -> event.getLevel() == Level.ERROR);
        assertThat(log.list).as("log lines naming the password")
                .noneMatch(event -> event.getFormattedMessage().contains(SECRET));

        // nothing stamped ahead of the wall clock
        try (Connection connection = db.dataSource().getConnection(); Statement query = connection.createStatement();
             ResultSet rows = query.executeQuery(
                     "SELECT max(at) FROM alert_transitions WHERE cluster = 'demo-life'")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getTimestamp(1).toInstant()).isBefore(stopped);
        }
        // right after the demo, the history of the last hour has the incident
        final StringWriter history = new StringWriter();
        final CommandLine alerts = Main.commandLine();
        alerts.setOut(new PrintWriter(history, true));
        assertThat(alerts.execute("history", "alerts", "--jdbc-url", db.jdbcUrl(), "--jdbc-user", db.user(),
                "--cluster", "demo-life", "--from", "now-1h", "--output", "json")).as("%s", history).isZero();
        assertThat(history.toString()).contains("FOREIGN_BINDING", "198.51.100.10");
    }
}
