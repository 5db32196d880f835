package io.vipwatch.store;

import static io.vipwatch.testkit.HostileBytes.fifteenBytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
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
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vipwatch.schemas.Topics;
import io.vipwatch.schemas.avro.AlertKind;
import io.vipwatch.schemas.avro.AlertState;
import io.vipwatch.schemas.event.Heartbeat;
import io.vipwatch.schemas.policy.DeadLetters;
import io.vipwatch.schemas.serde.InputCodec;
import io.vipwatch.schemas.serde.AvroSerdes;
import io.vipwatch.testkit.KafkaTestCluster;
import io.vipwatch.testkit.Poll;
import io.vipwatch.testkit.TestDatabase;
import io.vipwatch.testkit.WithKafka;
import io.vipwatch.testkit.WithPostgres;

/**
 * Issue 12's findings against the sink, through a real broker and PostgreSQL: a heartbeat dated 2099 (it froze the
 * cluster's last heartbeat), an alert in the year 296675 (PostgreSQL's "timestamp out of range", retried forever),
 * 15 bytes declaring a 2^31-byte string (UnsupportedOperationException stopped the sink), a 2 MB value sent
 * compressed (its dead letter was too large to send, retried forever). Each is dead-lettered with the contract's
 * headers, and the good records after them are stored.
 */
@WithKafka
@WithPostgres
class HostileRecordsIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Instant T0 = Instant.parse("2026-11-01T03:00:00Z");

    @Test
    void hostileRecordsAreDeadLetteredAndTheSinkGoesOn(final KafkaTestCluster kafka, final TestDatabase db)
            throws Exception {
        Migrations.migrate(db.dataSource());
        final Topics topics = StoreTesting.createTopics(kafka);
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (HistoryWriter writer = HistoryWriter.start(StoreTesting.sinkSettings(kafka, topics, db.dataSource()),
                registry)) {
            final Properties producerProps = new Properties();
            producerProps.put("bootstrap.servers", kafka.bootstrapServers());
            producerProps.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "gzip");
            producerProps.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 << 20);
            try (KafkaProducer<String, byte[]> attacker = new KafkaProducer<>(producerProps, new StringSerializer(),
                    new ByteArraySerializer())) {
                final long now = System.currentTimeMillis();
                attacker.send(new ProducerRecord<>(topics.heartbeats(), 0, now, "h-c1/future", InputCodec.encode(
                        new Heartbeat("h-c1", Instant.parse("2099-01-01T00:00:00Z").toEpochMilli(),
                                "collector/h-c1", "future", null, 10_000)))).get();
                attacker.send(new ProducerRecord<>(topics.alerts(), 0, now, "h-c1/far", AvroSerdes.alert().encode(
                        Fixtures.alert(AlertState.OPENED, AlertKind.ORPHANED, "h-c1", "198.51.100.10",
                                Instant.ofEpochMilli(9_300_000_000_000_000L), Instant.ofEpochMilli(9_300_000_000_000_000L),
                                List.of("n"), null)))).get();
                attacker.send(new ProducerRecord<>(topics.heartbeats(), 0, now, "h-c1/fifteen", fifteenBytes())).get();
                attacker.send(new ProducerRecord<>(topics.ownershipChanges(), 0, now, "h-c1/large",
                        new byte[2 << 20])).get();
                attacker.send(new ProducerRecord<>(topics.heartbeats(), 0, now, "h-c1/collector", InputCodec.encode(
                        new Heartbeat("h-c1", T0.toEpochMilli(), "collector/h-c1", "good", null, 10_000)))).get();
            }

            final List<ConsumerRecord<String, byte[]>> dead = kafka.consumeUntil(topics.dlq(),
                    new StringDeserializer(), new ByteArrayDeserializer(), records -> records.size() >= 4, WAIT);
            final Map<String, ConsumerRecord<String, byte[]>> byKey = new TreeMap<>();
            dead.forEach(record -> byKey.put(record.key(), record));
            assertThat(byKey).containsOnlyKeys("h-c1/future", "h-c1/far", "h-c1/fifteen", "h-c1/large");
            assertThat(header(byKey.get("h-c1/future"), DeadLetters.REASON)).isEqualTo("futureTime");
            assertThat(header(byKey.get("h-c1/far"), DeadLetters.REASON)).isEqualTo("badTime");
            assertThat(header(byKey.get("h-c1/fifteen"), DeadLetters.REASON)).isEqualTo("oversized");
            assertThat(header(byKey.get("h-c1/large"), DeadLetters.REASON)).isEqualTo("oversized");
            assertThat(byKey.get("h-c1/large").value()).as("a reference, not the bytes").isNull();
            assertThat(header(byKey.get("h-c1/large"), DeadLetters.SIZE)).isEqualTo(Integer.toString(2 << 20));
            assertThat(byKey.values()).allSatisfy(letter -> {
                assertThat(header(letter, DeadLetters.ROLE)).isEqualTo("store");
                assertThat(header(letter, DeadLetters.OFFSET)).matches("\\d+");
                assertThat(header(letter, DeadLetters.STREAMS_MESSAGE)).isEqualTo(header(letter, DeadLetters.DETAIL));
            });

            Poll.until("the good heartbeat stored", WAIT, () -> StoreTesting.count(db.dataSource(),
                    "SELECT count(*) FROM last_heartbeats WHERE cluster = 'h-c1' AND at = '2026-11-01T03:00:00Z'"),
                    n -> n == 1);
            assertThat(StoreTesting.count(db.dataSource(), "SELECT count(*) FROM dead_letters")).isEqualTo(4);
            assertThat(writer.deadLetters()).isEqualTo(4);
            // the metrics: dead letters by their real reason code and topic, the heartbeat's age, the batches
            assertThat(registry.get("vipwatch_dead_letters").tags("reason", "futureTime", "topic", topics.heartbeats())
                    .counter().count()).isEqualTo(1.0);
            assertThat(registry.get("vipwatch_dead_letters").tags("reason", "badTime", "topic", topics.alerts())
                    .counter().count()).isEqualTo(1.0);
            assertThat(registry.get("vipwatch_dead_letters").tags("reason", "oversized").counters())
                    .extracting(counter -> counter.getId().getTag("topic"))
                    .containsExactlyInAnyOrder(topics.heartbeats(), topics.ownershipChanges());
            assertThat(registry.get("vipwatch_heartbeat_age_seconds").tags("cluster", "h-c1").gauge().value())
                    .as("seconds since 2026-11-01T03:00:00Z").isGreaterThan(0);
            assertThat(registry.get("vipwatch_sink_rows").counter().count()).isGreaterThanOrEqualTo(1.0);
            assertThat(registry.get("vipwatch_sink_batch_records").summary().totalAmount()).isGreaterThanOrEqualTo(5.0);
            assertThat(registry.get("vipwatch_sink_commit").timer().count()).isGreaterThanOrEqualTo(1L);
        }
    }

    private static String header(final ConsumerRecord<?, ?> record, final String name) {
        final var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
