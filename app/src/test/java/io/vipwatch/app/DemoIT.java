package io.vipwatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.vipwatch.testkit.KafkaTestCluster;
import io.vipwatch.testkit.TestDatabase;
import io.vipwatch.testkit.WithKafka;
import io.vipwatch.testkit.WithPostgres;
import picocli.CommandLine;

/** {@code vipwatch demo --once} against the test JVM's real broker and a fresh real PostgreSQL database. */
@WithKafka
@WithPostgres
class DemoIT {

    @Test
    void demoOpensAndResolvesForeignBindingOnCp1AndStoresIt(final KafkaTestCluster kafka, final TestDatabase db)
            throws Exception {
        final StringWriter out = new StringWriter();
        final CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out, true));

        final int exit = commandLine.execute("demo", "--once", "--speed", "20", "--http-port", "0",
                "--bootstrap-servers", kafka.bootstrapServers(), "--topic-prefix", kafka.topicPrefix(),
                "--jdbc-url", db.jdbcUrl(), "--jdbc-user", db.user(), "--cluster", "demo-it");

        assertThat(exit).as("exit code; output:%n%s", out).isZero();
        final List<String> lines = out.toString().lines().toList();
        assertThat(lines).anySatisfy(line -> assertThat(line)
                .contains("OPENED", "FOREIGN_BINDING", "vip=198.51.100.10", "cp-1", "svc_enable"));
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("RESOLVED", "FOREIGN_BINDING", "cp-1"));

        // what an SRE would look for in the history database
        final List<String> states = new ArrayList<>();
        try (Connection connection = db.dataSource().getConnection();
             PreparedStatement query = connection.prepareStatement("""
                     SELECT state FROM alert_transitions
                      WHERE cluster = 'demo-it' AND vip = '198.51.100.10' AND kind = 'FOREIGN_BINDING'
                      ORDER BY at""");
             ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                states.add(rows.getString(1));
            }
        }
        assertThat(states).startsWith("OPENED").endsWith("RESOLVED");

        // and the history answers who answered for the VIP, inside the conflict and before it
        final Instant opened = openedAt(db);
        // at --speed 20 the demo's clock runs 20x: grace 15 s is 750 ms, the bind at 20 s is 1 s in, MetalLB's
        // announcement at 6 s is 300 ms in
        final Instant inside = opened.minusMillis(375); // the bind happened grace (750 ms) before the alert opened
        final Instant before = opened.minusMillis(750 + 350); // MetalLB announced, kube-vip not yet bound
        assertThat(owner(db, inside)).contains("cp-1,worker-1");
        assertThat(owner(db, before)).contains("worker-1").doesNotContain("cp-1");
    }

    private static Instant openedAt(final TestDatabase db) throws Exception {
        try (Connection connection = db.dataSource().getConnection();
             PreparedStatement query = connection.prepareStatement("""
                     SELECT at FROM alert_transitions
                      WHERE cluster = 'demo-it' AND kind = 'FOREIGN_BINDING' AND state = 'OPENED'""");
             ResultSet rows = query.executeQuery()) {
            assertThat(rows.next()).as("an OPENED transition").isTrue();
            return rows.getTimestamp(1).toInstant();
        }
    }

    /** {@code vipwatch history owner --jdbc-url …} as a user runs it; its JSON answer. */
    private static String owner(final TestDatabase db, final Instant at) {
        final StringWriter out = new StringWriter();
        final CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        final int exit = commandLine.execute("history", "owner", "--jdbc-url", db.jdbcUrl(), "--jdbc-user", db.user(),
                "--cluster", "demo-it", "--vip", "198.51.100.10", "--at", at.toString(), "--output", "json");
        assertThat(exit).as("history owner exit code; output:%n%s", out).isZero();
        return out.toString().replaceAll("\\s", "").replace("\"", "").replace("[", "").replace("]", "");
    }
}
