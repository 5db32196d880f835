package io.vipwatch.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vipwatch.schemas.ClusterPartitioning;
import io.vipwatch.schemas.Topics;
import io.vipwatch.schemas.publish.InputPublisher;
import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.schemas.serde.InputCodec;
import io.vipwatch.schemas.serde.AvroSerdes;
import io.vipwatch.streams.core.AlertJson;
import io.vipwatch.streams.core.DetectionSettings;
import io.vipwatch.streams.core.Recorder;
import io.vipwatch.streams.internal.AvroOutputs;
import io.vipwatch.testkit.KafkaTestCluster;
import io.vipwatch.testkit.WithKafka;

/**
 * The topology reads a cluster's events from one partition index of every input topic. What happens when an
 * input is not partitioned that way: a stray record is dead-lettered and the rest detected; inputs of different
 * partition counts stop the start with a clear message; and {@code --repartition} serves producers that
 * partition by the full key.
 */
@WithKafka
class CoPartitioningIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void aRecordOnTheWrongPartitionForItsClusterIsDeadLetteredAndTheRestDetected(final KafkaTestCluster kafka)
            throws Exception {
        final Topics topics = kafka.createVipwatchTopics("m.", 3);
        final List<InputEvent> events = Scenario.seedIncident("c1").events();
        final InputEvent stray = events.get(1);
        final int home = ClusterPartitioning.partitionOf("c1", 3);
        final int wrong = (home + 1) % 3;
        kafka.produce(List.of(new ProducerRecord<>(topics.topicFor(stray), wrong, stray.observedAt(), stray.key(),
                InputCodec.encode(stray))), new StringSerializer(), new ByteArraySerializer());
        try (InputPublisher replayer = new InputPublisher(client(kafka), topics)) {
            events.forEach(replayer::publish);
            replayer.flush();
        }
        try (VipwatchStreams streams = VipwatchStreams.start(settings(kafka, topics, false))) {
            final List<ConsumerRecord<String, byte[]>> dead = kafka.consumeUntil(topics.dlq(), new StringDeserializer(),
                    new ByteArrayDeserializer(), records -> !records.isEmpty(), TIMEOUT);
            assertThat(dead).hasSize(1);
            final String message = header(dead.get(0), "__streams.errors.message");
            assertThat(message).startsWith("misrouted: cluster 'c1' belongs on partition " + home)
                    .contains("found on partition " + wrong).contains("--repartition");
            assertThat(header(dead.get(0), "__streams.errors.topic")).isEqualTo(topics.topicFor(stray));
            assertThat(dead.get(0).key()).isEqualTo(stray.key());

            assertThat(alertLines(kafka, topics, expected(events).size())).containsExactlyElementsOf(expected(events));
        }
    }

    @Test
    void inputsWithDifferentPartitionCountsStopTheStartNamingEachCount(final KafkaTestCluster kafka) throws Exception {
        final Topics topics = Topics.withPrefix(kafka.topicPrefix() + "d.");
        final List<String> names = new ArrayList<>();
        topics.all().forEach(spec -> names.add(spec.name()));
        names.remove(topics.heartbeats());
        kafka.createTopics(names, 3);
        kafka.createTopics(List.of(topics.heartbeats()), 2);

        assertThatThrownBy(() -> VipwatchStreams.start(settings(kafka, topics, false)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the input topics must have the same number of partitions")
                .hasMessageContaining(topics.services() + ": 3").hasMessageContaining(topics.heartbeats() + ": 2")
                .hasMessageContaining("--repartition");
    }

    @Test
    void withRepartitionAProducerPartitioningByTheFullKeyIsDetectedAsAnalyzeDoes(final KafkaTestCluster kafka)
            throws Exception {
        final Topics topics = kafka.createVipwatchTopics("r.", 3);
        final List<InputEvent> events = Scenario.seedIncident("c1").events();
        final List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (final InputEvent e : events) { // Kafka's default: murmur2 of the whole key, the cluster spreads out
            final int partition = Utils.toPositive(Utils.murmur2(e.key().getBytes(StandardCharsets.UTF_8))) % 3;
            records.add(new ProducerRecord<>(topics.topicFor(e), partition, e.observedAt(), e.key(),
                    InputCodec.encode(e)));
        }
        assertThat(records.stream().map(ProducerRecord::partition).distinct().count())
                .as("the test needs the cluster spread over partitions").isGreaterThan(1);

        final StreamsSettings settings = settings(kafka, topics, true);
        try (VipwatchStreams streams = VipwatchStreams.start(settings)) {
            // one event at a time, each taken in before the next (the order across partitions is then the
            // recorded one: upstream tasks that run ahead of each other would reorder a backlog)
            for (final ProducerRecord<String, byte[]> record : records) {
                kafka.produce(List.of(record), new StringSerializer(), new ByteArraySerializer());
                BacklogIT.awaitCommitted(kafka, settings.applicationId(),
                        List.of(record.topic(), VipOwnershipTopology.repartitionTopic(settings)));
            }
            assertThat(alertLines(kafka, topics, expected(events).size()))
                    .containsExactlyElementsOf(expected(events));
        }
    }

    private static List<String> expected(final List<InputEvent> events) {
        final List<String> lines = new ArrayList<>();
        Recorder.run(DetectionSettings.defaults(), events).alerts.forEach(a -> lines.add(AlertJson.format(a)));
        return lines;
    }

    private static List<String> alertLines(final KafkaTestCluster kafka, final Topics topics, final int count) {
        final List<String> lines = new ArrayList<>();
        kafka.consumeUntil(topics.alerts(), new StringDeserializer(), AvroSerdes.alert(), records -> records.size() >= count,
                TIMEOUT).forEach(r -> lines.add(AlertJson.format(AvroOutputs.transition(r.value()))));
        return lines;
    }

    private static String header(final ConsumerRecord<String, byte[]> record, final String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static Properties client(final KafkaTestCluster kafka) {
        final Properties client = new Properties();
        client.put("bootstrap.servers", kafka.bootstrapServers());
        return client;
    }

    private StreamsSettings settings(final KafkaTestCluster kafka, final Topics topics, final boolean repartition)
            throws Exception {
        return StreamsSettings.of(client(kafka), topics).withApplicationId(topics.prefix() + "streams")
                .withStateDir(Files.createTempDirectory(dir, "state"))
                .withPunctuation(StreamsSettings.DEFAULT_PUNCTUATION_INTERVAL, false)
                .withRepartition(repartition);
    }
}
