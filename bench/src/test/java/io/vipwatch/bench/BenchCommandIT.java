package io.vipwatch.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vipwatch.testkit.KafkaTestCluster;
import io.vipwatch.testkit.TestDatabase;
import io.vipwatch.testkit.WithKafka;
import io.vipwatch.testkit.WithPostgres;

import picocli.CommandLine;

/**
 * {@code vipwatch bench --quick} at a tiny scale (seconds, not minutes) on the test JVM's broker and database:
 * one summary line per sub-benchmark, the closing {@code bench:} line, and a JSON file for each.
 */
@WithKafka
@WithPostgres
class BenchCommandIT {

    @TempDir
    Path out;

    @Test
    void quickRunPrintsOneLinePerBenchmarkAndTheSummaryLineAndWritesJson(final KafkaTestCluster kafka,
            final TestDatabase db) throws Exception {
        final Path password = Files.writeString(out.resolve("password"), db.password() == null ? "" : db.password());
        final StringWriter stdout = new StringWriter();
        final StringWriter stderr = new StringWriter();
        final int code = new CommandLine(new BenchCommand()).setOut(new PrintWriter(stdout))
                .setErr(new PrintWriter(stderr)).execute("--quick", "--scale", "0.02", "--rate", "1000",
                        "--bootstrap-servers", kafka.bootstrapServers(), "--jdbc-url", db.jdbcUrl(),
                        "--jdbc-user", db.user(), "--jdbc-password-file", password.toString(), "--out", out.toString());

        assertThat(code).as(stderr.toString()).isZero();
        final List<String> lines = stdout.toString().lines().toList();
        assertThat(lines).hasSize(BenchCommand.DEFAULT.size() + 1);
        for (int i = 0; i < BenchCommand.DEFAULT.size(); i++) {
            assertThat(lines.get(i)).startsWith(BenchCommand.DEFAULT.get(i) + ": ");
        }
        assertThat(lines.get(lines.size() - 1)).matches(
                "bench: topology_ratio=\\d+\\.\\d\\d decision_p99_ms=\\d+ bytes_per_vip=\\d+ analyze_eps=\\d+");

        final ObjectMapper json = new ObjectMapper();
        for (final String name : BenchCommand.DEFAULT) {
            final JsonNode document = json.readTree(out.resolve(name + ".json").toFile());
            assertThat(document.path("benchmark").asText()).isEqualTo(name);
            assertThat(document.path("summary").asText()).isEqualTo(lines.get(BenchCommand.DEFAULT.indexOf(name)));
            assertThat(document.path("machine").path("loadAverage").asText()).isNotEmpty();
        }
        assertThat(json.readTree(out.resolve("topology.json").toFile()).path("ratio").asDouble()).isPositive();
        assertThat(json.readTree(out.resolve("storm.json").toFile()).path("alerts").asLong()).isZero();
        assertThat(json.readTree(out.resolve("summary.json").toFile()).path("line").asText())
                .isEqualTo(lines.get(lines.size() - 1));
        assertThat(Files.exists(out.resolve("history.json"))).isTrue();
    }
}
