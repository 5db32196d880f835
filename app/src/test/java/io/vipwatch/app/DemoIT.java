package io.vipwatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
    }
}
