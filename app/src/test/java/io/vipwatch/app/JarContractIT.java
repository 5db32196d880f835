package io.vipwatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vipwatch.collector.testing.NetworkNamespace;
import io.vipwatch.testkit.Poll;

/**
 * The public contracts, exercised from outside through {@code app/target/vipwatch.jar} as users script them:
 * the recording format, {@code vipwatch analyze} output, {@code --output -}.
 */
class JarContractIT {

    private static final Path JAR = Path.of("target", "vipwatch.jar");
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void jarIsBuilt() {
        assertThat(JAR).as("mvn package builds app/target/vipwatch.jar").isRegularFile();
    }

    @Test
    void analyzePrintsTheDemoConflictAsOpenedThenResolvedJsonLines() throws Exception {
        final Path recording = Files.createTempFile("demo", ".jsonl");
        final Result recorded = run(List.of("demo", "--record", recording.toString()), null);
        assertThat(recorded.exit()).as(recorded.stderr()).isZero();

        final Result analyzed = run(List.of("analyze", recording.toString()), null);

        assertThat(analyzed.exit()).as(analyzed.stderr()).isZero();
        final List<JsonNode> alerts = new ArrayList<>();
        for (final String line : analyzed.stdout().lines().toList()) {
            alerts.add(JSON.readTree(line));
        }
        assertThat(alerts).extracting(a -> a.get("state").asText()).containsExactly("OPENED", "RESOLVED");
        final JsonNode opened = alerts.get(0);
        assertThat(opened.fieldNames()).toIterable().contains("state", "kind", "severity", "cluster", "vip", "service",
                "nodes", "at", "fingerprint", "episode", "hint");
        assertThat(opened.get("kind").asText()).isEqualTo("FOREIGN_BINDING");
        assertThat(opened.get("severity").asText()).isEqualTo("critical");
        assertThat(opened.get("vip").asText()).isEqualTo("198.51.100.10");
        assertThat(opened.get("service").asText()).isEqualTo("default/web");
        assertThat(opened.get("nodes").toString()).contains("\"cp-1\"");
        assertThat(opened.get("hint").asText()).contains("cp-1", "svc_enable");
        assertThat(alerts.get(1).get("episode")).isEqualTo(opened.get("episode"));
        assertThat(analyzed.stderr()).contains("events/s");
    }

    @Test
    void analyzeNamesTheFileAndLineOfABadLineAndStrictStopsWithExitTwo() throws Exception {
        final Path recording = Files.createTempFile("bad", ".jsonl");
        Files.writeString(recording, """
                {"type":"heartbeat","cluster":"c1","observedAt":"2026-11-01T00:00:20Z","source":"collector/c1"}
                {"type":"service","cluster":"c1","observedAt":"2026-11-01T00:00:21Z","op":"UPSERT","namespace":"d","name":"w","ingressIps":["198.51.100.300"]}
                """);

        final Result lenient = run(List.of("analyze", recording.toString()), null);
        final Result strict = run(List.of("analyze", "--strict", recording.toString()), null);

        assertThat(lenient.exit()).isZero();
        assertThat(lenient.stderr()).contains(recording + ":2: ", "198.51.100.300");
        assertThat(strict.exit()).isEqualTo(2);
        assertThat(strict.stderr()).contains(recording + ":2: ");
    }

    @Test
    void nodeAgentOutputDashPrintsASnapshotWithinOneSecondOfAnAddedAddress() throws Exception {
        try (NetworkNamespace namespace = NetworkNamespace.create()) {
            final List<String> command = new ArrayList<>(java());
            command.addAll(List.of("node-agent", "--node", "n1", "--output", "-"));
            final Process agent = new ProcessBuilder(namespace.inside(command))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            final BlockingQueue<String> lines = Poll.lines(agent.getInputStream());
            try {
                assertThat(nextLineContaining(lines, "\"node-addresses\"", Duration.ofSeconds(30))).contains("\"n1\"");

                final long added = System.nanoTime();
                namespace.addAddress("198.51.100.10/32", "va");
                final String snapshot = nextLineContaining(lines, "198.51.100.10", Duration.ofSeconds(1));

                assertThat(Duration.ofNanos(System.nanoTime() - added)).isLessThan(Duration.ofSeconds(1));
                final JsonNode event = JSON.readTree(snapshot);
                assertThat(event.get("type").asText()).isEqualTo("node-addresses");
                assertThat(event.get("addresses").toString()).contains("\"prefixLength\":32");
            } finally {
                agent.destroy();
                agent.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static List<String> java() {
        return List.of(ProcessHandle.current().info().command().orElse("java"), "-jar", JAR.toAbsolutePath().toString());
    }

    private static String nextLineContaining(final BlockingQueue<String> lines, final String text,
            final Duration timeout) throws InterruptedException {
        return Poll.next("a line containing " + text, timeout, lines, line -> line.contains(text));
    }

    private static Result run(final List<String> args, final String stdin) throws Exception {
        final List<String> command = new ArrayList<>(java());
        command.addAll(args);
        final Path out = Files.createTempFile("out", ".txt");
        final Path err = Files.createTempFile("err", ".txt");
        final Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                .start();
        if (stdin != null) {
            process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        process.getOutputStream().close();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("%s finishes", args).isTrue();
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    private record Result(int exit, String stdout, String stderr) {
    }
}
