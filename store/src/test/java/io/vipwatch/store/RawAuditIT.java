package io.vipwatch.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import io.vipwatch.schemas.Topics;
import io.vipwatch.schemas.event.Heartbeat;
import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.schemas.event.ServiceChange;
import io.vipwatch.schemas.recording.RecordingCodec;
import io.vipwatch.schemas.serde.InputCodec;
import io.vipwatch.testkit.KafkaTestCluster;
import io.vipwatch.testkit.Poll;
import io.vipwatch.testkit.TestDatabase;
import io.vipwatch.testkit.WithKafka;
import io.vipwatch.testkit.WithPostgres;

/** With raw, the sink keeps every input event as its recording line: the full audit trail. */
@WithKafka
@WithPostgres
class RawAuditIT {

    private static final Instant AT = Instant.parse("2026-11-01T00:00:05Z");

    @Test
    void storesEveryInputEventAsItsRecordingLine(final KafkaTestCluster kafka, final TestDatabase db) {
        Migrations.migrate(db.dataSource());
        final Topics topics = StoreTesting.createTopics(kafka);
        final ServiceChange service = new ServiceChange("raw-c1", AT.toEpochMilli(), "collector/raw-c1", "e-1",
                ServiceChange.Op.UPSERT, "default", "web", "u-1", "7", "LoadBalancer", null, List.of("198.51.100.10"),
                List.of(), "Cluster", Map.of("metallb.io/ip-allocated-from-pool", "pool-a"));
        final Heartbeat heartbeat = new Heartbeat("raw-c1", AT.toEpochMilli(), "collector/raw-c1", "e-2", null,
                10_000);
        kafka.produce(List.of(
                record(topics, service),
                record(topics, heartbeat),
                new ProducerRecord<>(topics.nodeAddresses(), "raw-c1/worker-9", (byte[]) null)),
                new StringSerializer(), new ByteArraySerializer());

        try (HistoryWriter writer = HistoryWriter.start(StoreTesting.sinkSettings(kafka, topics, db.dataSource())
                .withRaw(true))) {
            assertThat(writer.sourceTopics()).containsAll(topics.inputs());
            Poll.until("three input events stored", Duration.ofSeconds(30), () -> StoreTesting.count(db.dataSource(),
                    "SELECT count(*) FROM input_events"), n -> n == 3);
        }

        final List<String> lines = StoreTesting.texts(db.dataSource(),
                "SELECT recording::text FROM input_events WHERE type = 'service'");
        assertThat(RecordingCodec.parse(lines.get(0))).isEqualTo(service);
        assertThat(StoreTesting.texts(db.dataSource(), "SELECT type || ' ' || (recording->>'deleted') FROM input_events"
                + " WHERE record_key = 'raw-c1/worker-9'")).containsExactly("node-addresses true");
        assertThat(StoreTesting.count(db.dataSource(), "SELECT count(*) FROM last_heartbeats WHERE cluster = 'raw-c1'"))
                .isEqualTo(1);
    }

    private static ProducerRecord<String, byte[]> record(final Topics topics, final InputEvent event) {
        return new ProducerRecord<>(topics.topicFor(event), event.key(), InputCodec.encode(event));
    }
}
