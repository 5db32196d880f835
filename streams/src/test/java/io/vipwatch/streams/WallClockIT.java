package io.vipwatch.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import io.vipwatch.schemas.Topics;
import io.vipwatch.schemas.avro.Alert;
import io.vipwatch.schemas.avro.AlertKind;
import io.vipwatch.schemas.avro.AlertState;
import io.vipwatch.schemas.event.Heartbeat;
import io.vipwatch.schemas.publish.InputPublisher;
import io.vipwatch.schemas.serde.AvroSerdes;
import io.vipwatch.streams.core.DetectionSettings;
import io.vipwatch.streams.internal.InputProgress;
import io.vipwatch.testkit.KafkaTestCluster;
import io.vipwatch.testkit.Poll;
import io.vipwatch.testkit.WithKafka;

/**
 * Live, the wall clock judges a cluster that sends nothing — once the task has caught up with its input partitions
 * ({@link InputProgress}). A partition the group never read counts as caught up when nothing is left on it: an
 * input topic no one writes to (the wire topic of a fleet without probers, node facts of a fleet without kube-vip)
 * or one whose records retention deleted. Before this was so, one empty input topic kept every task "behind"
 * forever: no grace timer of a quiet cluster fired and no silent collector was reported until its cluster's next
 * event.
 */
@WithKafka
class WallClockIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void aCollectorThatFallsSilentIsReportedByTheWallClockWhileOtherInputTopicsAreEmpty(final KafkaTestCluster kafka)
            throws Exception {
        final Topics topics = Topics.withPrefix(kafka.topicPrefix() + "silent.");
        final Properties client = client(kafka);
        final Duration silenceAfter = Duration.ofSeconds(3);
        final StreamsSettings settings = StreamsSettings.of(client, topics)
                .withApplicationId(topics.prefix() + "streams")
                .withStateDir(Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "streams-"))
                .withDetection(DetectionSettings.defaults().withGrace(Duration.ofSeconds(1))
                        .withSilenceAfter(silenceAfter))
                .withCreateTopics(2); // default punctuation: the wall clock advances quiet clusters

        final long lastHeartbeat;
        try (VipwatchStreams streams = VipwatchStreams.start(settings);
                InputPublisher publisher = new InputPublisher(client, topics)) {
            // only heartbeats: services, announcements, nodes, addresses and wire stay empty
            lastHeartbeat = System.currentTimeMillis();
            publisher.publish(new Heartbeat("c1", lastHeartbeat, "collector/c1", UUID.randomUUID().toString(), null,
                    1_000));
            publisher.flush();

            final List<ConsumerRecord<String, Alert>> alerts = kafka.consumeUntil(topics.alerts(),
                    new StringDeserializer(), AvroSerdes.alert(), records -> !records.isEmpty(), TIMEOUT);
            final Alert opened = alerts.get(0).value();
            assertThat(opened.getKind()).isEqualTo(AlertKind.COLLECTOR_SILENT);
            assertThat(opened.getState()).isEqualTo(AlertState.OPENED);
            assertThat(opened.getAt()).as("judged by the wall clock, after the silence")
                    .isGreaterThanOrEqualTo(lastHeartbeat + silenceAfter.toMillis());
        }
    }

    @Test
    void aPartitionWithNothingLeftToReadIsCaughtUpWithoutBeingRead(final KafkaTestCluster kafka) throws Exception {
        final String empty = kafka.topic("wc-empty");
        final String deleted = kafka.topic("wc-deleted");
        final String waiting = kafka.topic("wc-waiting");
        kafka.createTopics(List.of(empty, deleted, waiting), 1);
        final List<ProducerRecord<String, String>> records = List.of(
                new ProducerRecord<>(deleted, 0, "k", "1"), new ProducerRecord<>(deleted, 0, "k", "2"),
                new ProducerRecord<>(waiting, 0, "k", "1"));
        kafka.produce(records, new StringSerializer(), new StringSerializer());
        kafka.admin().deleteRecords(Map.of(new TopicPartition(deleted, 0), RecordsToDelete.beforeOffset(2)))
                .all().get();

        try (InputProgress progress = InputProgress.start(client(kafka), "wc-group-" + UUID.randomUUID(),
                List.of(empty, deleted, waiting), List.of(), Duration.ofMillis(50))) {
            Poll.until("the end offsets were read", TIMEOUT,
                    () -> progress.endOffset(new TopicPartition(waiting, 0)) == 1);
            Poll.until("an empty partition and one emptied by retention are caught up", TIMEOUT,
                    () -> progress.caughtUp(0, List.of(empty, deleted), Map.of(), List.of()));
            assertThat(progress.caughtUp(0, List.of(empty, deleted, waiting), Map.of(), List.of()))
                    .as("a record waits on " + waiting).isFalse();
            assertThat(progress.caughtUp(0, List.of(empty, deleted, waiting), Map.of(waiting, 1L), List.of()))
                    .as("once it is processed").isTrue();
        }
    }

    private static Properties client(final KafkaTestCluster kafka) {
        final Properties client = new Properties();
        client.put("bootstrap.servers", kafka.bootstrapServers());
        return client;
    }
}
