package io.vipwatch.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vipwatch.schemas.Topics;
import io.vipwatch.schemas.avro.Alert;
import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.schemas.publish.InputPublisher;
import io.vipwatch.schemas.serde.AvroSerdes;
import io.vipwatch.streams.fleet.FleetRecording;
import io.vipwatch.streams.core.AlertJson;
import io.vipwatch.streams.internal.AvroOutputs;
import io.vipwatch.testkit.KafkaTestCluster;
import io.vipwatch.testkit.WithKafka;

/**
 * A multi-cluster recording replayed into a real broker and detected by two streams instances (one in this JVM,
 * one in a child JVM): the alerts on {@code vipwatch.alerts.v1} are exactly what {@code vipwatch analyze} prints
 * for the same recording, also when the child is killed (SIGKILL) in the middle of the run.
 */
@WithKafka
class MultiClusterIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(180);
    private static final int PARTITIONS = 3;

    @TempDir
    static Path dir;
    static Path recording;
    static List<InputEvent> events;
    static List<String> expected;

    private Process child;

    @BeforeAll
    static void analyzeTheRecording() {
        // 4 clusters; cluster-0 has the kube-vip conflict, a duplicate speaker, a flapping Service, a silent agent
        events = new FleetRecording(11, 4, 8, 10, true).events(16_000);
        recording = Scenario.writeRecording(dir.resolve("fleet.jsonl"), events);
        expected = Scenario.analyze(recording);
        assertThat(expected).as("the recording has alerts in more than one kind").hasSizeGreaterThan(5);
    }

    @AfterEach
    void killChild() {
        if (child != null) {
            child.destroyForcibly();
        }
    }

    @Test
    void twoInstancesPublishExactlyTheAlertsAnalyzePrints(final KafkaTestCluster kafka) throws Exception {
        final Topics topics = kafka.createVipwatchTopics("a.", PARTITIONS);
        replay(kafka, topics);

        try (VipwatchStreams local = VipwatchStreams.start(settings(kafka, topics, "local-a"))) {
            child = startChild(kafka, topics, "child-a");
            final List<ConsumerRecord<String, Alert>> alerts = readAlerts(kafka, topics, expected.size());
            assertSameAlerts(alerts);
        }
    }

    @Test
    void killingAnInstanceMidRunNeitherLosesNorDuplicatesAnAlert(final KafkaTestCluster kafka) throws Exception {
        final Topics topics = kafka.createVipwatchTopics("b.", PARTITIONS);
        replay(kafka, topics);

        child = startChild(kafka, topics, "child-b");
        awaitSomeAlerts(kafka, topics);
        try (VipwatchStreams local = VipwatchStreams.start(settings(kafka, topics, "local-b"))) {
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // kill -9 while tasks are mid-run
            final List<ConsumerRecord<String, Alert>> alerts = readAlerts(kafka, topics, expected.size());
            assertSameAlerts(alerts);
        }
    }

    private static void assertSameAlerts(final List<ConsumerRecord<String, Alert>> alerts) {
        final List<String> lines = new ArrayList<>();
        alerts.forEach(r -> lines.add(AlertJson.format(AvroOutputs.transition(r.value()))));
        assertThat(lines).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(alerts).extracting(r -> r.value().getEventId()).doesNotHaveDuplicates();
        assertThat(alerts).allMatch(r -> r.key().equals(r.value().getFingerprint()));
    }

    private static void replay(final KafkaTestCluster kafka, final Topics topics) {
        try (InputPublisher replayer = new InputPublisher(kafka.groupMemberProps(), topics)) {
            events.forEach(replayer::publish);
            replayer.flush();
        }
    }

    private static StreamsSettings settings(final KafkaTestCluster kafka, final Topics topics, final String stateName)
            throws IOException {
        return StreamsSettings.of(kafka.groupMemberProps(), topics)
                .withApplicationId(topics.prefix() + "streams")
                .withStateDir(Files.createDirectories(dir.resolve(stateName)))
                .withPunctuation(StreamsSettings.DEFAULT_PUNCTUATION_INTERVAL, false);
    }

    /** The second instance, in its own JVM so that it can be killed for real. */
    private static Process startChild(final KafkaTestCluster kafka, final Topics topics, final String stateName)
            throws IOException {
        final Path config = dir.resolve(stateName + ".properties");
        Files.writeString(config, "session.timeout.ms=6000\nheartbeat.interval.ms=1500\n");
        final List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-cp", System.getProperty("java.class.path"), "io.vipwatch.streams.bench.Cli", "streams",
                "--bootstrap-servers", kafka.bootstrapServers(), "--kafka-config", config.toString(),
                "--topic-prefix", topics.prefix(), "--application-id", topics.prefix() + "streams",
                "--state-dir", dir.resolve(stateName).toString(), "--wall-clock-advance", "false");
        final File log = new File(System.getProperty("java.io.tmpdir"), stateName + ".log");
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
    }

    private static void awaitSomeAlerts(final KafkaTestCluster kafka, final Topics topics) {
        kafka.consumeUntil(topics.alerts(), new StringDeserializer(), AvroSerdes.alert(), records -> records.size() >= 1,
                TIMEOUT);
    }

    private static List<ConsumerRecord<String, Alert>> readAlerts(final KafkaTestCluster kafka, final Topics topics,
            final int count) {
        return kafka.consumeUntil(topics.alerts(), new StringDeserializer(), AvroSerdes.alert(),
                records -> records.size() >= count, TIMEOUT);
    }
}
