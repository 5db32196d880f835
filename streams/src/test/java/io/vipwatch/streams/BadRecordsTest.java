package io.vipwatch.streams;

import static io.vipwatch.testkit.HostileBytes.fifteenBytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

import io.vipwatch.schemas.Topics;
import io.vipwatch.schemas.avro.AlertKind;
import io.vipwatch.schemas.avro.AlertState;
import io.vipwatch.schemas.event.Heartbeat;
import io.vipwatch.schemas.event.NodeAddresses;
import io.vipwatch.schemas.event.NodeFacts;
import io.vipwatch.schemas.event.ServiceChange;
import io.vipwatch.schemas.event.WireObservation;
import io.vipwatch.schemas.policy.DeadLetters;
import io.vipwatch.schemas.serde.InputCodec;
import io.vipwatch.schemas.serde.AvroMapper;
import io.vipwatch.schemas.serde.AvroSerdes;
import io.vipwatch.streams.core.DetectionSettings;

/** A poison pill on every input topic goes to the dead-letter topic, and detection goes on. */
class BadRecordsTest {

    @TempDir
    Path stateDir;

    static Stream<Arguments> poisonPills() {
        final byte[] unknownFingerprint = new byte[] {(byte) 0xC3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 0};
        final ServiceChange badIp = new ServiceChange("c1", Scenario.time(5), "collector/c1", "bad-ip",
                ServiceChange.Op.UPSERT, "default", "web", "uid", null, "LoadBalancer", null, List.of("198.51.100.999"),
                List.of(), null, Map.of());
        return Stream.of(
                Arguments.of("not Avro at all", Topics.SERVICES, "c1/default/web",
                        "{\"json\":true}".getBytes(StandardCharsets.UTF_8), "undecodable"),
                Arguments.of("unknown writer schema", Topics.ANNOUNCEMENTS, "c1/default/web", unknownFingerprint,
                        "unknownFingerprint"),
                Arguments.of("oversized record", Topics.NODE_ADDRESSES, "c1/cp-1", new byte[(1 << 20) + 1], "oversized"),
                Arguments.of("truncated body", Topics.NODES, "c1/cp-1",
                        Arrays.copyOf(AvroSerdes.nodeFacts().encode(AvroMapper.toAvro(
                                (NodeFacts) Scenario.cluster("c1").worker("w").events().get(0))), 14),
                        "undecodable"),
                Arguments.of("invalid IP in a Service", Topics.SERVICES, "c1/default/web",
                        AvroSerdes.serviceChange().encode(AvroMapper.toAvro(badIp)), "invalidIp"),
                Arguments.of("null value on a non-compacted topic", Topics.HEARTBEATS, "c1/collector", null,
                        "nullValue"),
                Arguments.of("15 bytes declaring a 2^31-byte string", Topics.HEARTBEATS, "c1/collector",
                        fifteenBytes(), "oversized"),
                Arguments.of("a year-296675 heartbeat", Topics.HEARTBEATS, "c1/collector",
                        InputCodec.encode(new Heartbeat("c1", 9_300_000_000_000_000L, "s", "e", null, 10_000)),
                        "badTime"),
                Arguments.of("a cluster id of 300 characters", Topics.HEARTBEATS, "c1/collector",
                        InputCodec.encode(new Heartbeat("c".repeat(300), Scenario.time(5), "s", "e", null, 10_000)),
                        "badIdentifier"),
                Arguments.of("a node name in capitals", Topics.NODE_ADDRESSES, "c1/CP-1",
                        InputCodec.encode(new NodeAddresses("c1", Scenario.time(5), "s", "e", "CP-1", List.of(),
                                false)), "badIdentifier"),
                Arguments.of("a NUL in a source", Topics.HEARTBEATS, "c1/collector",
                        InputCodec.encode(new Heartbeat("c1", Scenario.time(5), "s\0", "e", null, 10_000)),
                        "nulCharacter"),
                Arguments.of("a tombstone keyed with no node", Topics.NODES, "c1/", null, "badKey"),
                Arguments.of("an upper-case MAC on the wire", Topics.WIRE, "c1/198.51.100.10",
                        AvroSerdes.wireObservation().encode(AvroMapper.toAvro(new WireObservation("c1",
                                Scenario.time(5), "node-agent/w3", "e", "w3", "eth0", "198.51.100.10",
                                List.of("02:00:00:00:00:AA"), 1000))), "invalidMac"),
                Arguments.of("a MAC that is no MAC in a node's links", Topics.NODE_ADDRESSES, "c1/w3",
                        InputCodec.encode(new NodeAddresses("c1", Scenario.time(5), "s", "e", "w3", List.of(),
                                false, List.of(new NodeAddresses.Link("eth0", "02:00:00:00:00")))), "invalidMac"),
                Arguments.of("an invalid VIP on the wire", Topics.WIRE, "c1/198.51.100.999",
                        InputCodec.encode(new WireObservation("c1", Scenario.time(5), "node-agent/w3", "e", "w3",
                                "eth0", "198.51.100.999", List.of(), 1000)), "invalidIp"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("poisonPills")
    void sendsBadRecordToTheDeadLetterTopicAndGoesOn(final String description, final String baseTopic,
            final String key, final byte[] value, final String reason) {
        try (TopologyHarness harness = new TopologyHarness(DetectionSettings.defaults(), stateDir)) {
            final String topic = harness.topics.prefix() + baseTopic;
            harness.input(topic).pipeInput(new TestRecord<>(key, value, Instant.ofEpochMilli(Scenario.time(5))));
            harness.sendAll(Scenario.seedIncident("c1").events());

            final var dead = harness.dlq.readRecordsToList();
            assertThat(dead).hasSize(1);
            assertThat(dead.get(0).key()).isEqualTo(key);
            if (value != null && value.length > DeadLetters.MAX_VALUE_BYTES) {
                assertThat(dead.get(0).value()).as("too large to send: a reference").isNull();
                assertThat(header(dead.get(0), DeadLetters.VALUE_OMITTED)).isEqualTo("true");
            } else {
                assertThat(dead.get(0).value()).isEqualTo(value);
            }
            assertThat(header(dead.get(0), DeadLetters.REASON)).isEqualTo(reason);
            assertThat(header(dead.get(0), DeadLetters.SIZE)).isEqualTo(value == null ? "-1" : "" + value.length);
            assertThat(header(dead.get(0), "__streams.errors.topic")).isEqualTo(topic);
            assertThat(header(dead.get(0), "__streams.errors.partition")).isEqualTo("0");
            assertThat(header(dead.get(0), "__streams.errors.offset")).isEqualTo("0");
            assertThat(header(dead.get(0), "__streams.errors.message")).startsWith(reason + ":");
            assertThat(harness.registry.get("vipwatch_dead_letters").tags("reason", reason, "topic", topic).counter().count())
                    .as("vipwatch_dead_letters_total{reason,topic}").isEqualTo(1.0);
            assertThat(harness.readAlerts()).extracting(a -> a.getState() + " " + a.getKind())
                    .containsExactly(AlertState.OPENED + " " + AlertKind.FOREIGN_BINDING,
                            AlertState.RESOLVED + " " + AlertKind.FOREIGN_BINDING);
        }
    }

    private static String header(final TestRecord<String, byte[]> record, final String name) {
        final Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
