package io.vipwatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vipwatch.testkit.KafkaTestCluster;
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
        final int exit = demo.execute("demo", "--speed", "20", "--http-port", "0", "--stop-after", "20s",
                "--bootstrap-servers", kafka.bootstrapServers(), "--topic-prefix", kafka.topicPrefix(),
                "--jdbc-url", jdbcUrl, "--jdbc-user", db.user(), "--cluster", "demo-life");
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
