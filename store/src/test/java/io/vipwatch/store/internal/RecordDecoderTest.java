package io.vipwatch.store.internal;

import static io.vipwatch.testkit.HostileBytes.fifteenBytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.vipwatch.schemas.Topics;
import io.vipwatch.schemas.avro.AlertKind;
import io.vipwatch.schemas.avro.AlertState;
import io.vipwatch.schemas.event.Heartbeat;
import io.vipwatch.schemas.serde.InputCodec;
import io.vipwatch.schemas.serde.AvroSerdes;
import io.vipwatch.store.Fixtures;
import io.vipwatch.store.internal.Rows.DeadLetter;
import io.vipwatch.store.internal.Rows.VipStateDeletion;
import io.vipwatch.store.internal.Rows.VipStateRow;

class RecordDecoderTest {

    private static final Topics TOPICS = Topics.withPrefix("t.");
    private static final Instant AT = Instant.parse("2026-11-01T03:12:00Z");

    private final RecordDecoder decoder = new RecordDecoder(TOPICS, false);

    private static ConsumerRecord<String, byte[]> record(final String topic, final long offset, final String key,
            final byte[] value) {
        return new ConsumerRecord<>(topic, 0, offset, key, value);
    }

    @Test
    void decodesAnOwnershipChangeIntoARow() {
        final Batch batch = decoder.decode(List.of(record(TOPICS.ownershipChanges(), 7, "c1/198.51.100.10",
                AvroSerdes.ownershipChange().encode(Fixtures.change("c1", "198.51.100.10", AT, List.of("worker-1"),
                        List.of("cp-1", "worker-1"), "default/web")))));

        assertThat(batch.ownershipChanges).singleElement().satisfies(row -> {
            assertThat(row.at()).isEqualTo(AT);
            assertThat(row.afterNodes()).containsExactly("cp-1", "worker-1");
            assertThat(row.service()).isEqualTo("default/web");
        });
        assertThat(batch.offsetRanges()).singleElement()
                .isEqualTo(new Rows.OffsetRange(TOPICS.ownershipChanges(), 0, 7, 8));
        assertThat(batch.clusters).containsKey("c1");
    }

    @Test
    void canonicalisesIpv6Vips() {
        final Batch batch = decoder.decode(List.of(record(TOPICS.ownershipChanges(), 0, "c1/2001:db8::10",
                AvroSerdes.ownershipChange().encode(Fixtures.change("c1", "2001:DB8:0::10", AT, List.of(), List.of("n"), null)))));

        assertThat(batch.ownershipChanges).singleElement().extracting(Rows.OwnershipChangeRow::ip).isEqualTo("2001:db8::10");
    }

    @Test
    void decodesAlertsWithEvidenceAsJson() {
        final Batch batch = decoder.decode(List.of(record(TOPICS.alerts(), 0, "fp", AvroSerdes.alert().encode(
                Fixtures.alert(AlertState.OPENED, AlertKind.FOREIGN_BINDING, "c1", "198.51.100.10", AT, AT,
                        List.of("cp-1", "worker-1"), "kube-vip on cp-1 runs with svc_enable=true")))));

        assertThat(batch.alerts).singleElement().satisfies(row -> {
            assertThat(row.state()).isEqualTo("OPENED");
            assertThat(row.kind()).isEqualTo("FOREIGN_BINDING");
            assertThat(row.evidence()).contains("\"node\":\"cp-1\"").startsWith("[");
        });
    }

    @Test
    void keepsTheLastVipStateOfAKeyAndTurnsATombstoneIntoADeletion() {
        final Batch batch = decoder.decode(List.of(
                record(TOPICS.vipState(), 0, "c1/198.51.100.10", AvroSerdes.vipState().encode(
                        Fixtures.vipState("c1", "198.51.100.10", AT, List.of("worker-1")))),
                record(TOPICS.vipState(), 1, "c1/198.51.100.11", AvroSerdes.vipState().encode(
                        Fixtures.vipState("c1", "198.51.100.11", AT, List.of("worker-2")))),
                record(TOPICS.vipState(), 2, "c1/198.51.100.10", null)));

        assertThat(batch.vipStates).containsOnlyKeys("c1/198.51.100.10", "c1/198.51.100.11");
        assertThat(batch.vipStates.get("c1/198.51.100.10")).isEqualTo(new VipStateDeletion("c1", "198.51.100.10"));
        assertThat(batch.vipStates.get("c1/198.51.100.11")).isInstanceOfSatisfying(VipStateRow.class,
                row -> assertThat(row.responders()).containsExactly("worker-2"));
    }

    @Test
    void readsHeartbeatsButKeepsInputEventsOnlyWhenRaw() {
        final byte[] heartbeat = InputCodec.encode(new Heartbeat("c1", AT.toEpochMilli(), "collector/c1", "e-1", null,
                10_000));
        final ConsumerRecord<String, byte[]> record = record(TOPICS.heartbeats(), 0, "c1/collector/c1", heartbeat);

        final Batch plain = decoder.decode(List.of(record));
        final Batch raw = new RecordDecoder(TOPICS, true).decode(List.of(record));

        assertThat(plain.heartbeats.values()).singleElement()
                .isEqualTo(new Rows.HeartbeatRow("c1", "collector/c1", null, AT, 10_000));
        assertThat(plain.inputEvents).isEmpty();
        assertThat(raw.inputEvents).singleElement().satisfies(row -> {
            assertThat(row.type()).isEqualTo("heartbeat");
            assertThat(row.recording()).contains("\"type\":\"heartbeat\"");
        });
    }

    static Stream<Arguments> badRecords() {
        final byte[] goodChange = AvroSerdes.ownershipChange().encode(
                Fixtures.change("c1", "198.51.100.10", AT, List.of(), List.of("n"), null));
        return Stream.of(
                Arguments.of("bytes that are not Avro", TOPICS.ownershipChanges(), "hello".getBytes(StandardCharsets.UTF_8),
                        "undecodable"),
                Arguments.of("an alert on the ownership topic", TOPICS.ownershipChanges(), AvroSerdes.alert().encode(
                        Fixtures.alert(AlertState.OPENED, AlertKind.ORPHANED, "c1", "198.51.100.10", AT, AT, List.of(),
                                null)), "unknownFingerprint"),
                Arguments.of("an IP that is not one", TOPICS.ownershipChanges(), AvroSerdes.ownershipChange().encode(
                        Fixtures.change("c1", "198.51.100.300", AT, List.of(), List.of("n"), null)), "invalidIp"),
                Arguments.of("an empty cluster", TOPICS.ownershipChanges(), AvroSerdes.ownershipChange().encode(
                        Fixtures.change("", "198.51.100.10", AT, List.of(), List.of("n"), null)), "missingField"),
                Arguments.of("a NUL in a node name", TOPICS.ownershipChanges(), AvroSerdes.ownershipChange().encode(
                        Fixtures.change("c1", "198.51.100.10", AT, List.of(), List.of("n\0"), null)), "nulCharacter"),
                Arguments.of("a tombstone on a topic that is not compacted", TOPICS.ownershipChanges(), null,
                        "nullValue"),
                Arguments.of("a topic the store does not read", "t.something.else", goodChange, "unknownTopic"),
                Arguments.of("15 bytes declaring a 2^31-byte string", TOPICS.heartbeats(), fifteenBytes(), "oversized"),
                Arguments.of("a heartbeat dated 2099", TOPICS.heartbeats(), InputCodec.encode(new Heartbeat("c1",
                        Instant.parse("2099-01-01T00:00:00Z").toEpochMilli(), "collector/c1", "e", null, 10_000)),
                        "futureTime"),
                Arguments.of("a heartbeat with a 300-character cluster", TOPICS.heartbeats(), InputCodec.encode(
                        new Heartbeat("c".repeat(300), AT.toEpochMilli(), "collector/c1", "e", null, 10_000)),
                        "badIdentifier"),
                Arguments.of("an ownership change in the year 296675", TOPICS.ownershipChanges(),
                        AvroSerdes.ownershipChange().encode(Fixtures.change("c1", "198.51.100.10",
                                Instant.ofEpochMilli(9_300_000_000_000_000L), List.of(), List.of("n"), null)), "badTime"),
                Arguments.of("an ownership change before 1970", TOPICS.ownershipChanges(),
                        AvroSerdes.ownershipChange().encode(Fixtures.change("c1", "198.51.100.10",
                                Instant.ofEpochMilli(-9_300_000_000_000_000L), List.of(), List.of("n"), null)), "badTime"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRecords")
    void deadLettersABadRecordAndKeepsTheRest(final String description, final String topic, final byte[] value,
            final String reason) {
        final byte[] good = AvroSerdes.ownershipChange().encode(
                Fixtures.change("c1", "198.51.100.10", AT, List.of(), List.of("worker-1"), null));
        final Batch batch = decoder.decode(List.of(
                record(topic, 41, "c1/198.51.100.10", value),
                record(TOPICS.ownershipChanges(), 42, "c1/198.51.100.10", good)));

        assertThat(batch.deadLetters).singleElement().satisfies(letter -> {
            assertThat(letter.reason()).isEqualTo(reason);
            assertThat(letter.topic()).isEqualTo(topic);
            assertThat(letter.kafkaOffset()).isEqualTo(41);
            assertThat(letter.detail()).isNotBlank();
        });
        assertThat(batch.ownershipChanges).hasSize(1);
        assertThat(batch.records()).isEqualTo(2);
    }

    @Test
    void namesTheProblemInTheDeadLetterDetail() {
        final Batch batch = decoder.decode(List.of(record(TOPICS.ownershipChanges(), 3, "k",
                AvroSerdes.ownershipChange().encode(Fixtures.change("c1", "198.51.100.300", AT, List.of(), List.of(), null)))));

        assertThat(batch.deadLetters).extracting(DeadLetter::detail).singleElement().asString()
                .contains("198.51.100.300").contains("over 255");
    }
}
