package io.vipwatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.vipwatch.collector.testing.ClusterObjects;
import io.vipwatch.collector.testing.Kubeconfigs;
import io.vipwatch.schemas.Topics;
import io.vipwatch.testkit.KafkaTestCluster;
import io.vipwatch.testkit.Poll;
import io.vipwatch.testkit.TestDatabase;
import io.vipwatch.testkit.WithKafka;
import io.vipwatch.testkit.WithPostgres;

/**
 * Every long-running role, run from {@code app/target/vipwatch.jar} as a child JVM and sent SIGTERM the way
 * Kubernetes stops a pod, flushes what it has, closes and exits 0 ("stopped on request" in every role's help).
 * Against the testkit's real broker and PostgreSQL and the fabric8 mock API server (CRUD mode, the accepted stand-in
 * for a Kubernetes API server).
 */
@WithKafka
@WithPostgres
@EnableKubernetesMockClient(crud = true)
class StopSignalIT {

    private static final Path JAR = Path.of("target", "vipwatch.jar");
    private static final Duration START = Duration.ofSeconds(90);

    KubernetesClient client;

    @TempDir
    Path dir;

    @BeforeAll
    static void jarIsBuilt() {
        assertThat(JAR).as("mvn package builds app/target/vipwatch.jar").isRegularFile();
    }

    @Test
    void collectFlushesItsRecordingAndExitsZero() throws Exception {
        client.services().inNamespace("default").resource(ClusterObjects.loadBalancerService("default", "web"))
                .create();
        final Path recording = dir.resolve("collect.jsonl");
        final Child collect = Child.start(dir, "collect", "--cluster", "c1", "--kubeconfig",
                Kubeconfigs.forMockServer(client, dir).toString(), "--output", recording.toString(),
                "--heartbeat-interval", "200ms");
        collect.awaitStderr("collecting cluster c1");
        // the first heartbeat follows the reconciled list (every 200 ms): wait for both, then stop
        Poll.until("the Service's UPSERT and a heartbeat in the recording", START,
                () -> read(recording).contains("\"web\"") && read(recording).contains("\"heartbeat\""));

        assertThat(collect.terminate()).as(collect.stderr()).isZero();
        assertThat(read(recording)).as("flushed whole: the last line is complete").endsWith("}\n");
    }

    @Test
    void nodeAgentExitsZero() throws Exception {
        final Path recording = dir.resolve("agent.jsonl");
        final Child agent = Child.start(dir, "node-agent", "--node", "n1", "--cluster", "c1", "--output",
                recording.toString(), "--address-source", "java", "--heartbeat-interval", "200ms");
        Poll.until("a snapshot in the recording", START,
                () -> read(recording).contains("\"node-addresses\""));

        assertThat(agent.terminate()).as(agent.stderr()).isZero();
    }

    @Test
    void streamsClosesKafkaStreamsAndExitsZero(final KafkaTestCluster kafka) throws Exception {
        final Child streams = Child.start(dir, "streams", "--bootstrap-servers", kafka.bootstrapServers(),
                "--topic-prefix", kafka.topicPrefix(), "--application-id", kafka.topicPrefix() + "stop-it",
                "--state-dir", dir.resolve("state").toString(), "--create-topics", "1");
        streams.awaitStderr("-> RUNNING");

        assertThat(streams.terminate()).as(streams.stderr()).isZero();
        assertThat(streams.stderr()).contains("closing kafka streams");
    }

    @Test
    void storeAndServeExitZero(final KafkaTestCluster kafka, final TestDatabase db) throws Exception {
        Topics.withPrefix(kafka.topicPrefix()).ensureCreated(kafka.admin(), 1, (short) 1);
        final Child store = Child.start(dir, "store", "--bootstrap-servers", kafka.bootstrapServers(),
                "--topic-prefix", kafka.topicPrefix(), "--group", kafka.topicPrefix() + "store",
                "--jdbc-url", db.jdbcUrl(), "--jdbc-user", db.user());
        store.awaitStderr("store sink started");
        assertThat(store.terminate()).as(store.stderr()).isZero();
        assertThat(store.stderr()).contains("store sink stopped");

        final Child serve = Child.start(dir, "serve", "--listen", "127.0.0.1:0", "--jdbc-url", db.jdbcUrl(),
                "--jdbc-user", db.user());
        serve.awaitStdout("vipwatch history at");
        assertThat(serve.terminate()).as(serve.stderr()).isZero();
    }

    @Test
    void pacedReplayStopsFlushesWhatItSentAndExitsZero(final KafkaTestCluster kafka) throws Exception {
        final Topics topics = Topics.withPrefix(kafka.topicPrefix() + "replay.");
        topics.ensureCreated(kafka.admin(), 1, (short) 1);
        final Instant now = Instant.now();
        final Path recording = dir.resolve("slow.jsonl");
        Files.writeString(recording, String.join("\n",
                heartbeat(now), heartbeat(now.plusSeconds(1)), heartbeat(now.plusSeconds(3600)), ""));
        final Child replay = Child.start(dir, "replay", "--bootstrap-servers", kafka.bootstrapServers(),
                "--topic-prefix", topics.prefix(), "--speed", "1", recording.toString());
        // the second heartbeat is due a second in, the third an hour later: stopped while waiting for it
        kafka.consumeAtLeast(topics.heartbeats(), new StringDeserializer(), new ByteArrayDeserializer(), 2, START);

        assertThat(replay.terminate()).as(replay.stderr()).isZero();
        assertThat(replay.stderr()).contains("replayed 2 events", "stopped on request");
    }

    private static String heartbeat(final Instant at) {
        return "{\"type\":\"heartbeat\",\"cluster\":\"c1\",\"observedAt\":\"" + at + "\",\"source\":\"collector/c1\"}";
    }

    /** {@code java -jar vipwatch.jar ARGS}, its output in files. */
    private record Child(Process process, Path out, Path err) {

        static Child start(final Path dir, final String... args) throws IOException {
            final List<String> command = new ArrayList<>(List.of(
                    ProcessHandle.current().info().command().orElse("java"), "-Xmx256m",
                    "-Djava.io.tmpdir=" + dir.toAbsolutePath(), "-jar", JAR.toAbsolutePath().toString()));
            command.addAll(List.of(args));
            final Path out = Files.createTempFile(dir, args[0] + "-", ".out");
            final Path err = Files.createTempFile(dir, args[0] + "-", ".err");
            return new Child(new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .start(), out, err);
        }

        void awaitStderr(final String text) {
            await(err, text);
        }

        void awaitStdout(final String text) {
            await(out, text);
        }

        private void await(final Path file, final String text) {
            Poll.until("'" + text + "' from " + process.info().commandLine().orElse("the child"), START, () -> {
                assertThat(process.isAlive()).as("still running; stderr: %s", read(err)).isTrue();
                return read(file).contains(text);
            });
        }

        /** SIGTERM, as {@code kubectl delete pod} and {@code systemctl stop} send it; the exit code. */
        int terminate() throws InterruptedException {
            process.destroy();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("stopped within 60 s").isTrue();
            return process.exitValue();
        }

        String stderr() {
            return read(err);
        }
    }

    /** The file's text, empty while it does not exist. */
    private static String read(final Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (final IOException e) {
            return "";
        }
    }
}
