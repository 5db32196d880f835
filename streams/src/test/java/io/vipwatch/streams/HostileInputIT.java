package io.vipwatch.streams;

import static io.vipwatch.testkit.HostileBytes.fifteenBytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.vipwatch.schemas.ClusterPartitioning;
import io.vipwatch.schemas.Topics;
import io.vipwatch.schemas.avro.Alert;
import io.vipwatch.schemas.avro.AlertKind;
import io.vipwatch.schemas.avro.AlertState;
import io.vipwatch.schemas.event.Heartbeat;
import io.vipwatch.schemas.policy.DeadLetters;
import io.vipwatch.schemas.publish.InputPublisher;
import io.vipwatch.schemas.serde.InputCodec;
import io.vipwatch.schemas.serde.AvroSerdes;
import io.vipwatch.streams.core.DetectionSettings;
import io.vipwatch.testkit.KafkaTestCluster;
import io.vipwatch.testkit.WithKafka;

/**
 * Issue 12's findings through a real broker, each as a writer to an input topic would send it: a heartbeat dated
 * 2099 (the broker accepts it: its record time is ordinary), a 2 MB value sent compressed, 15 bytes declaring a 2^31-byte
 * string. Each is dead-lettered with its reason, the topology keeps RUNNING and the incident after them alerts —
 * with the co-partitioned topology and with {@code --repartition}, whose repartition topic the 2099 record time
 * used to crash.
 */
@WithKafka
class HostileInputIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @ParameterizedTest(name = "repartition={0}")
    @ValueSource(booleans = {false, true})
    void hostileRecordsAreDeadLetteredAndDetectionGoesOn(final boolean repartition, final KafkaTestCluster kafka)
            throws Exception {
        final String prefix = kafka.topicPrefix() + (repartition ? "r." : "d.");
        final Topics topics = Topics.withPrefix(prefix);
        final Properties client = new Properties();
        client.put("bootstrap.servers", kafka.bootstrapServers());
        final StreamsSettings settings = StreamsSettings.of(client, topics)
                .withApplicationId(prefix + "streams")
                .withStateDir(Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "streams-"))
                .withDetection(DetectionSettings.defaults())
                .withPunctuation(StreamsSettings.DEFAULT_PUNCTUATION_INTERVAL, false)
                .withCreateTopics(2).withRepartition(repartition);

        try (VipwatchStreams streams = VipwatchStreams.start(settings);
                InputPublisher publisher = new InputPublisher(client, topics)) {
            final int partition = ClusterPartitioning.partitionOf("c1", 2);
            // the attacker's records carry the record time of the traffic around them (the incident's start): Kafka
            // Streams orders a task's partitions by record time, so a record stamped a month after the incident
            // would hold the rest of its partition behind the other topics (max.task.idle.ms) and reorder it
            final long now = Scenario.time(0);
            final Heartbeat in2099 = new Heartbeat("c1",
                    Instant.parse("2099-01-01T00:00:00Z").toEpochMilli(), "x", "in-2099", null, 10_000);
            final byte[] twoMegabytes = new byte[2 << 20];
            final byte[] fifteenBytes = fifteenBytes();
            final Properties producerProps = new Properties();
            producerProps.putAll(client);
            producerProps.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "gzip");
            producerProps.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 << 20);
            try (KafkaProducer<String, byte[]> attacker = new KafkaProducer<>(producerProps, new StringSerializer(),
                    new ByteArraySerializer())) {
                attacker.send(new ProducerRecord<>(topics.heartbeats(), partition, now, "c1/x",
                        InputCodec.encode(in2099))).get();
                attacker.send(new ProducerRecord<>(topics.nodeAddresses(), partition, now, "c1/cp-1", twoMegabytes))
                        .get();
                attacker.send(new ProducerRecord<>(topics.heartbeats(), partition, now, "c1/y", fifteenBytes)).get();
            }
            Scenario.seedIncident("c1").events().forEach(publisher::publish);
            publisher.flush();

            final List<ConsumerRecord<String, byte[]>> dead = kafka.consumeUntil(topics.dlq(), new StringDeserializer(),
                    new ByteArrayDeserializer(), records -> records.size() >= 3, TIMEOUT);
            final Map<String, ConsumerRecord<String, byte[]>> byKey = new TreeMap<>();
            dead.forEach(record -> byKey.put(record.key(), record));
            assertThat(byKey).containsOnlyKeys("c1/x", "c1/cp-1", "c1/y");
            assertThat(header(byKey.get("c1/x"), DeadLetters.REASON)).isEqualTo("futureTime");
            assertThat(byKey.get("c1/x").value()).isEqualTo(InputCodec.encode(in2099));
            final ConsumerRecord<String, byte[]> large = byKey.get("c1/cp-1");
            assertThat(header(large, DeadLetters.REASON)).isEqualTo("oversized");
            assertThat(large.value()).as("a reference, not the bytes").isNull();
            assertThat(header(large, DeadLetters.VALUE_OMITTED)).isEqualTo("true");
            assertThat(header(large, DeadLetters.SIZE)).isEqualTo(Integer.toString(2 << 20));
            assertThat(header(large, DeadLetters.TOPIC)).isEqualTo(topics.nodeAddresses());
            assertThat(header(large, DeadLetters.PARTITION)).isEqualTo(Integer.toString(partition));
            assertThat(header(large, DeadLetters.OFFSET)).isNotNull();
            assertThat(header(byKey.get("c1/y"), DeadLetters.REASON)).isEqualTo("oversized");

            final List<ConsumerRecord<String, Alert>> alerts = kafka.consumeUntil(topics.alerts(),
                    new StringDeserializer(), AvroSerdes.alert(), records -> records.size() >= 2, TIMEOUT);
            assertThat(alerts).extracting(r -> r.value().getState() + " " + r.value().getKind())
                    .containsExactly(AlertState.OPENED + " " + AlertKind.FOREIGN_BINDING,
                            AlertState.RESOLVED + " " + AlertKind.FOREIGN_BINDING);
            assertThat(streams.state()).isEqualTo(KafkaStreams.State.RUNNING);
            assertThat(streams.failure()).isNull();
        }
    }

    private static String header(final ConsumerRecord<?, ?> record, final String name) {
        final var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
