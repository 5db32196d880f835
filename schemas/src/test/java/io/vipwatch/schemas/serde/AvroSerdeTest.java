package io.vipwatch.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.vipwatch.schemas.Topics;
import io.vipwatch.schemas.avro.Alert;
import io.vipwatch.schemas.avro.AlertEvidence;
import io.vipwatch.schemas.avro.AlertKind;
import io.vipwatch.schemas.avro.AlertState;
import io.vipwatch.schemas.avro.Announcer;
import io.vipwatch.schemas.avro.Cause;
import io.vipwatch.schemas.avro.OwnershipChange;
import io.vipwatch.schemas.avro.Severity;
import io.vipwatch.schemas.avro.VipAnnouncement;
import io.vipwatch.schemas.avro.VipBinding;
import io.vipwatch.schemas.avro.VipClaim;
import io.vipwatch.schemas.avro.VipState;
import io.vipwatch.schemas.event.AnnouncementChange;
import io.vipwatch.schemas.event.Heartbeat;
import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.schemas.event.NodeAddresses;
import io.vipwatch.schemas.event.NodeFacts;
import io.vipwatch.schemas.event.ServiceChange;
import io.vipwatch.schemas.event.WireObservation;

class AvroSerdeTest {

    static Stream<SpecificRecordBase> everyRecord() {
        return Stream.concat(SampleEvents.all().stream().map(AvroMapper::toAvro), Stream.of(
                VipState.newBuilder().setCluster("c1").setIp("198.51.100.10").setUpdatedAt(5)
                        .setClaims(List.of(new VipClaim("default/web", true, false, 1L)))
                        .setAnnouncements(List.of(new VipAnnouncement("worker-1", Announcer.METALLB_L2, "default/web", 2L)))
                        .setBindings(List.of(new VipBinding("cp-1", "eth0", 32, 3L)))
                        .setResponders(List.of("cp-1", "worker-1"))
                        .setOpenConditions(List.of(AlertKind.FOREIGN_BINDING)).setFlapPenalty(1000.0).build(),
                OwnershipChange.newBuilder().setEventId("e1").setCluster("c1").setIp("198.51.100.10").setAt(7)
                        .setBefore(List.of("worker-1")).setAfter(List.of("cp-1", "worker-1")).setService("default/web")
                        .setCause(new Cause("node-addresses", "c1/cp-1", "e0", "agent/cp-1", 6L)).build(),
                Alert.newBuilder().setEventId("a1").setState(AlertState.OPENED).setKind(AlertKind.FOREIGN_BINDING)
                        .setSeverity(Severity.CRITICAL).setCluster("c1").setVip("198.51.100.10").setService("default/web")
                        .setNodes(List.of("cp-1", "worker-1")).setAt(20).setOpenedAt(20).setFingerprint("f")
                        .setEpisode("f-1").setHint("kube-vip on cp-1 ...")
                        .setEvidence(List.of(new AlertEvidence("binding", "cp-1", "eth0 198.51.100.10/32", 5L, "e0")))
                        .build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyRecord")
    @SuppressWarnings("unchecked")
    void roundTripsEveryRecord(final SpecificRecordBase record) {
        final AvroSerde<SpecificRecordBase> serde = AvroSerde.of((Class<SpecificRecordBase>) record.getClass());
        final byte[] bytes = serde.serialize("t", record);

        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
        assertThat(serde.deserialize("t", bytes)).isEqualTo(record);
    }

    @Test
    void anyAvroLibraryDecodesItWithTheAvscFileAlone() throws IOException {
        // the contract files themselves, not the generated class
        final Schema.Parser parser = new Schema.Parser();
        for (final String common : List.of("AlertKind", "Severity", "Announcer")) {
            parser.parse(Path.of("src/main/avro/common", common + ".avsc").toFile());
        }
        final Schema schema = parser.parse(Path.of("src/main/avro/Alert.avsc").toFile());
        final Alert alert = (Alert) everyRecord().filter(Alert.class::isInstance).findFirst().orElseThrow();
        final byte[] bytes = AvroSerdes.alert().encode(alert);

        final GenericRecord generic = new BinaryMessageDecoder<GenericRecord>(GenericData.get(), schema).decode(bytes);
        assertThat(generic.get("vip").toString()).isEqualTo("198.51.100.10");
        final long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(fingerprint).isEqualTo(SchemaNormalization.parsingFingerprint64(schema));
    }

    @Test
    void readsARecordWrittenWithTheOlderSchema() throws IOException {
        final Schema v1 = SchemaHistory.of(io.vipwatch.schemas.avro.Heartbeat.getClassSchema().getFullName()).get(0);
        assertThat(v1.getField("intervalMs")).as("v1 predates intervalMs").isNull();
        final GenericRecord old = agentRecord(v1);

        final io.vipwatch.schemas.avro.Heartbeat current = AvroSerdes.heartbeat().decode(encode(v1, old));

        assertThat(current.getNode()).isEqualTo("n1");
        assertThat(current.getObservedAt()).isEqualTo(1234L);
        assertThat(current.getIntervalMs()).as("the evolved field takes its default").isEqualTo(10_000L);
    }

    @Test
    void readsANodeAddressesSnapshotWrittenBeforeLinks() {
        final Schema v1 = SchemaHistory.of(io.vipwatch.schemas.avro.NodeAddresses.getClassSchema().getFullName()).get(0);
        assertThat(v1.getField("links")).as("v1 predates links").isNull();
        final GenericRecord address = new GenericData.Record(v1.getField("addresses").schema().getElementType());
        address.put("interface", "eth0");
        address.put("ip", "198.51.100.10");
        address.put("prefixLength", 32);
        final GenericRecord old = agentRecord(v1);
        old.put("addresses", List.of(address));
        old.put("deleted", false);

        final NodeAddresses current = (NodeAddresses) InputCodec.decode(Topics.NODE_ADDRESSES,
                encode(v1, old));

        assertThat(current.addresses()).containsExactly(new NodeAddresses.Address("eth0", "198.51.100.10", 32));
        assertThat(current.links()).as("the evolved field takes its default").isEmpty();
    }

    @Test
    void readsAlertsAndVipStatesWrittenBeforeTheWireKinds() throws IOException {
        for (final SpecificRecordBase record : everyRecord().filter(r -> r instanceof Alert || r instanceof VipState)
                .toList()) {
            final Schema v1 = SchemaHistory.of(record.getSchema().getFullName()).get(0);
            assertThat(v1.toString()).as("v1 predates the wire kinds").doesNotContain("\"WIRE_SILENT\"");
            @SuppressWarnings("unchecked")
            final AvroSerde<SpecificRecordBase> serde = AvroSerde.of((Class<SpecificRecordBase>) record.getClass());
            // the record as the earlier version wrote it: its body (after the 10-byte header) read as v1, written
            // with v1's fingerprint
            final byte[] current = serde.encode(record);
            final GenericRecord old = new GenericDatumReader<GenericRecord>(record.getSchema(), v1)
                    .read(null, DecoderFactory.get().binaryDecoder(current, 10, current.length - 10,
                            null));

            assertThat(serde.decode(encode(v1, old))).isEqualTo(record);
        }
    }

    /** A record of {@code schema} with the fields every node agent's input record has: event e-1 of agent n1. */
    private static GenericRecord agentRecord(final Schema schema) {
        final GenericRecord record = new GenericData.Record(schema);
        record.put("eventId", "e-1");
        record.put("cluster", "c1");
        record.put("observedAt", 1234L);
        record.put("source", "agent/n1");
        record.put("node", "n1");
        return record;
    }

    private static byte[] encode(final Schema writer, final GenericRecord record) {
        try {
            final ByteBuffer written = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), writer).encode(record);
            final byte[] bytes = new byte[written.remaining()];
            written.get(bytes);
            return bytes;
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void refusesAnUnknownFingerprintNamingIt() {
        final byte[] bytes = AvroSerdes.heartbeat().encode(AvroMapper.toAvro(
                new Heartbeat("c1", 1, "s", "e", null, 10_000)));
        bytes[2] ^= 0x55;

        assertThatThrownBy(() -> AvroSerdes.heartbeat().deserialize("vipwatch.heartbeats.v1", bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("vipwatch.heartbeats.v1")
                .hasMessageContaining("unknown schema fingerprint");
    }

    @Test
    void refusesGarbageNamingTheHeader() {
        final byte[] json = "{\"type\":\"service\"}".getBytes();

        assertThatThrownBy(() -> AvroSerdes.serviceChange().deserialize("vipwatch.services.v1", json))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("not Avro single-object encoding")
                .hasMessageContaining("7B 22");
    }

    @Test
    void refusesATruncatedBody() {
        final byte[] bytes = AvroSerdes.serviceChange().encode(AvroMapper.toAvro((ServiceChange) SampleEvents.all().get(0)));
        final byte[] truncated = Arrays.copyOf(bytes, 14);

        assertThatThrownBy(() -> AvroSerdes.serviceChange().decode(truncated))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("undecodable ServiceChange");
    }

    @Test
    void refusesOversizedRecords() {
        final AvroSerde<io.vipwatch.schemas.avro.Heartbeat> small = AvroSerde.of(io.vipwatch.schemas.avro.Heartbeat.class, 16);
        final byte[] bytes = AvroSerdes.heartbeat().encode(AvroMapper.toAvro(
                new Heartbeat("cluster-with-a-long-name", 1, "source", "event", null, 10_000)));

        assertThatThrownBy(() -> small.decode(bytes)).hasMessageContaining("oversized");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sampleEvents")
    void mapsEveryInputEventThroughAvroAndBack(final InputEvent event) {
        final byte[] bytes = InputCodec.encode(event);
        final String baseTopic = Topics.standard().topicFor(event);

        assertThat(InputCodec.decode(baseTopic, bytes)).isEqualTo(event);
    }

    static List<InputEvent> sampleEvents() {
        return SampleEvents.all();
    }

    static final class SampleEvents {
        static List<InputEvent> all() {
            return List.of(
                    new ServiceChange("c1", 10_000, "collector/c1", "e-1", ServiceChange.Op.UPSERT, "default", "web", "u-1",
                            "42", "LoadBalancer", null, List.of("198.51.100.10"), List.of(), "Cluster",
                            Map.of("metallb.io/ip-allocated-from-pool", "pool-a")),
                    new AnnouncementChange("c1", 11_000, "collector/c1", "e-2", AnnouncementChange.Op.ANNOUNCE, "default",
                            "web", AnnouncementChange.Announcer.METALLB_L2, "worker-1", null, List.of("eth0"),
                            new AnnouncementChange.Evidence("SERVICE_L2_STATUS", "metallb-system/l2-abcde", null)),
                    new NodeAddresses("c1", 12_000, "agent/cp-1", "e-3", "cp-1",
                            List.of(new NodeAddresses.Address("eth0", "198.51.100.10", 32)), false,
                            List.of(new NodeAddresses.Link("eth0", "02:00:00:00:00:01"))),
                    new NodeFacts("c1", 0, "collector/c1", "e-4", "cp-1", List.of("control-plane"), true, false,
                            false, new NodeFacts.KubeVip(true, true, "eth0", true, "kube-system/kube-vip-cp-1",
                                    "ghcr.io/kube-vip/kube-vip:v0.8.0"), false),
                    new Heartbeat("c1", 20_000, "collector/c1", "e-5", null, 10_000),
                    new WireObservation("c1", 30_000, "node-agent/w1", "e-6", "w1", "eth0", "198.51.100.10",
                            List.of("02:00:00:00:00:02", "02:00:00:00:00:01"), 1000));
        }
    }
}
