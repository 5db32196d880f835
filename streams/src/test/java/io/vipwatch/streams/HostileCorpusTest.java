package io.vipwatch.streams;

import static io.vipwatch.testkit.HostileBytes.withHeader;
import static io.vipwatch.testkit.HostileBytes.zigzag;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vipwatch.schemas.Topics;
import io.vipwatch.schemas.avro.AlertKind;
import io.vipwatch.schemas.avro.AlertState;
import io.vipwatch.schemas.event.Heartbeat;
import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.schemas.event.NodeAddresses;
import io.vipwatch.schemas.event.ServiceChange;
import io.vipwatch.schemas.policy.DeadLetters;
import io.vipwatch.schemas.serde.InputCodec;
import io.vipwatch.schemas.serde.AvroSerdes;
import io.vipwatch.streams.core.DetectionSettings;

/**
 * A deterministic hostile corpus through every input topic of the topology: random bytes, truncated Avro, unknown
 * fingerprints, valid fingerprints with garbage bodies, bodies declaring huge strings and arrays, oversized
 * identifiers, times far away, non-canonical IPs (good: canonicalized). Nothing crashes; every bad record is
 * dead-lettered with a reason, every good one is accepted, and the counts add up; the incident sent afterwards
 * still alerts. Raise {@code -Dvipwatch.corpus.size} for a longer run.
 */
class HostileCorpusTest {

    private static final int SIZE = Integer.getInteger("vipwatch.corpus.size", 240);

    @TempDir
    Path stateDir;

    private record Sample(String topic, String key, byte[] value, boolean bad) {
    }

    @Test
    void everyHostileRecordIsDeadLetteredEveryGoodOneAcceptedAndDetectionGoesOn() {
        final Random random = new Random(12);
        final List<Sample> corpus = new ArrayList<>();
        for (int i = 0; i < SIZE; i++) {
            corpus.add(sample(random, i));
        }
        try (TopologyHarness harness = new TopologyHarness(DetectionSettings.defaults(), stateDir)) {
            for (final Sample sample : corpus) {
                harness.input(harness.topics.prefix() + sample.topic()).pipeInput(new TestRecord<>(sample.key(),
                        sample.value(), Instant.ofEpochMilli(Scenario.time(1))));
            }
            harness.sendAll(Scenario.seedIncident("c1").events());

            final var dead = harness.dlq.readRecordsToList();
            final long bad = corpus.stream().filter(Sample::bad).count();
            final Map<String, Integer> reasons = new TreeMap<>();
            dead.forEach(record -> reasons.merge(header(record, DeadLetters.REASON), 1, Integer::sum));
            assertThat(dead).as("dead-lettered %s", reasons).hasSize((int) bad);
            assertThat(reasons).doesNotContainKey(null).doesNotContainKey("unexpected");
            assertThat(corpus.size() - bad).as("good records").isPositive();
            assertThat(harness.readAlerts()).extracting(a -> a.getState() + " " + a.getKind())
                    .contains(AlertState.OPENED + " " + AlertKind.FOREIGN_BINDING,
                            AlertState.RESOLVED + " " + AlertKind.FOREIGN_BINDING);
        }
    }

    private static Sample sample(final Random random, final int i) {
        final String cluster = "corpus-" + (i % 7);
        final long t = Scenario.time(1);
        switch (i % 12) {
            case 0 -> {
                final byte[] bytes = new byte[random.nextInt(200)];
                random.nextBytes(bytes);
                if (bytes.length > 0 && bytes[0] == (byte) 0xC3) {
                    bytes[0] = 0;
                }
                return new Sample(Topics.SERVICES, cluster + "/d/w", bytes, true);
            }
            case 1 -> {
                final byte[] whole = InputCodec.encode(heartbeat(cluster, t, "s" + i));
                return new Sample(Topics.HEARTBEATS, cluster + "/s", Arrays.copyOf(whole,
                        random.nextInt(whole.length - 1)), true);
            }
            case 2 -> {
                final byte[] bytes = InputCodec.encode(heartbeat(cluster, t, "s" + i));
                bytes[2 + random.nextInt(8)] ^= 0x5A;
                return new Sample(Topics.HEARTBEATS, cluster + "/s", bytes, true);
            }
            case 3 -> {
                final byte[] body = new byte[1 + random.nextInt(40)];
                random.nextBytes(body);
                body[0] = (byte) 0x81; // a negative string length: never a valid body
                return new Sample(Topics.NODE_ADDRESSES, cluster + "/n", withHeader(AvroSerdes.nodeAddresses().fingerprint(),
                        body), true);
            }
            case 4 -> {
                return new Sample(Topics.HEARTBEATS, cluster + "/s", withHeader(AvroSerdes.heartbeat().fingerprint(),
                        zigzag((1L << 31) - 16 - random.nextInt(1000))), true);
            }
            case 5 -> {
                return new Sample(Topics.SERVICES, cluster + "/d/w", InputCodec.encode(new ServiceChange(
                        "c".repeat(254 + random.nextInt(5000)), t, "s", "e" + i, ServiceChange.Op.UPSERT, "d", "w", null,
                        null, null, null, List.of(), List.of(), null, Map.of())), true);
            }
            case 6 -> {
                final long far = random.nextBoolean() ? 300_000_000_000_000L + random.nextInt(1000) : -1 - random.nextInt(1000);
                return new Sample(Topics.HEARTBEATS, cluster + "/s", InputCodec.encode(heartbeat(cluster, far, "s")), true);
            }
            case 7 -> {
                return new Sample(Topics.NODE_ADDRESSES, cluster + "/n", InputCodec.encode(new NodeAddresses(cluster,
                        t, "s", "e" + i, "n", List.of(new NodeAddresses.Address("eth0", "010.0.0.1", 32)), false)),
                        true);
            }
            case 8 -> {
                return new Sample(Topics.NODE_ADDRESSES, cluster + "/n", InputCodec.encode(new NodeAddresses(cluster,
                        t, "s", "e" + i, "n", List.of(new NodeAddresses.Address("eth0", "2001:DB8:0::" + (i % 90 + 10),
                                128)), false)), false);
            }
            case 9 -> {
                return new Sample(Topics.NODES, cluster + "/" + "N".repeat(1 + random.nextInt(300)), null, true);
            }
            case 10 -> {
                return new Sample(Topics.ANNOUNCEMENTS, cluster + "/d/w", null, true);
            }
            default -> {
                return new Sample(Topics.HEARTBEATS, cluster + "/s", InputCodec.encode(heartbeat(cluster, t, "s" + i)),
                        false);
            }
        }
    }

    private static InputEvent heartbeat(final String cluster, final long at, final String source) {
        return new Heartbeat(cluster, at, "collector/" + source, "e-" + source + "-" + at, null, 10_000);
    }

    private static String header(final TestRecord<String, byte[]> record, final String name) {
        final Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
