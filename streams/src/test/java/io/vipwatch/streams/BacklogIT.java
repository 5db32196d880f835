package io.vipwatch.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vipwatch.schemas.Topics;
import io.vipwatch.schemas.publish.InputPublisher;
import io.vipwatch.schemas.avro.Alert;
import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.schemas.serde.AvroSerdes;
import io.vipwatch.streams.fleet.FleetRecording;
import io.vipwatch.streams.core.AlertJson;
import io.vipwatch.streams.internal.AvroOutputs;
import io.vipwatch.testkit.KafkaTestCluster;
import io.vipwatch.testkit.Poll;
import io.vipwatch.testkit.WithKafka;

/**
 * A fleet's recording is replayed first and the topology started afterwards, with its default flags (the wall
 * clock moves quiet clusters on): the whole recording is a backlog. What the topology publishes once it has
 * worked through it is exactly what {@code vipwatch analyze} prints for the recording — the wall clock must not
 * move a cluster's clock past events still waiting in its partitions. (The recording is a month old, beyond
 * the wall-clock window: its clusters are history and the wall clock never judges them, not even after the
 * end of the recording, when analyze stops too.)
 */
@WithKafka
class BacklogIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(240);

    @TempDir
    static Path dir;
    static List<InputEvent> events;
    static List<String> expected;

    @BeforeAll
    static void analyzeTheRecording() {
        // 6 clusters, about 90 minutes of event time; cluster-0 has the seed incidents
        events = new FleetRecording(7, 6, 8, 12, true).events(60_000);
        expected = Scenario.analyze(Scenario.writeRecording(dir.resolve("fleet.jsonl"), events));
        assertThat(expected).as("the recording has alerts of several kinds").hasSizeGreaterThan(5);
    }

    @Test
    void liveAlertsEqualAnalyzeAfterABacklogWithTheDefaultFlags(final KafkaTestCluster kafka) throws Exception {
        final Topics topics = kafka.createVipwatchTopics("", 3);
        final Properties client = new Properties();
        client.put("bootstrap.servers", kafka.bootstrapServers());
        try (InputPublisher replayer = new InputPublisher(client, topics)) {
            events.forEach(replayer::publish);
            replayer.flush();
        }

        final StreamsSettings settings = StreamsSettings.of(client, topics)
                .withApplicationId(topics.prefix() + "streams")
                .withStateDir(Files.createDirectories(dir.resolve("state")));
        assertThat(settings.wallClockAdvance()).as("the default flags let the wall clock move quiet clusters").isTrue();
        try (VipwatchStreams streams = VipwatchStreams.start(settings)) {
            awaitCommitted(kafka, settings.applicationId(), topics.inputs());
            final List<ConsumerRecord<String, Alert>> alerts = kafka.consumeUntil(topics.alerts(),
                    new StringDeserializer(), AvroSerdes.alert(), records -> records.size() >= expected.size(), TIMEOUT);
            final List<String> lines = new ArrayList<>();
            alerts.forEach(r -> lines.add(AlertJson.format(AvroOutputs.transition(r.value()))));
            assertThat(lines).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(alerts).extracting(r -> r.value().getEventId()).doesNotHaveDuplicates();
        }
    }

    /** Until the application's consumer group has committed every partition of the topics to its end. */
    static void awaitCommitted(final KafkaTestCluster kafka, final String group, final List<String> inputs) {
        Poll.until("consumer group " + group + " at the end of " + inputs, TIMEOUT, () -> {
                final Admin admin = kafka.admin();
                final Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
                admin.describeTopics(inputs).allTopicNames().get().forEach((topic, description) ->
                        description.partitions().forEach(p -> specs.put(new TopicPartition(topic, p.partition()),
                                OffsetSpec.latest())));
                final Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get();
                for (final var end : admin.listOffsets(specs, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                        .all().get().entrySet()) {
                    final OffsetAndMetadata at = committed.get(end.getKey());
                    if (end.getValue().offset() > 0 && (at == null || at.offset() < end.getValue().offset())) {
                        return false;
                    }
                }
                return true;
        }, Boolean::booleanValue);
    }
}
