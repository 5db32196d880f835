package io.vipwatch.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.vipwatch.schemas.Topics;
import io.vipwatch.schemas.avro.AlertKind;
import io.vipwatch.schemas.avro.AlertState;
import io.vipwatch.schemas.event.Heartbeat;
import io.vipwatch.schemas.serde.InputCodec;
import io.vipwatch.schemas.serde.AvroSerdes;
import io.vipwatch.testkit.KafkaTestCluster;
import io.vipwatch.testkit.Poll;
import io.vipwatch.testkit.TestDatabase;
import io.vipwatch.testkit.WithKafka;
import io.vipwatch.testkit.WithPostgres;

/** The sink against a real broker and a real PostgreSQL: records in, rows out. */
@WithKafka
@WithPostgres
class HistoryWriterIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Instant T0 = Instant.parse("2026-11-01T03:00:00Z");

    private static Topics topics;
    private static HistoryWriter writer;

    @BeforeAll
    static void start(final KafkaTestCluster kafka, final TestDatabase db) {
        Migrations.migrate(db.dataSource());
        topics = StoreTesting.createTopics(kafka);
        writer = HistoryWriter.start(StoreTesting.sinkSettings(kafka, topics, db.dataSource()));
    }

    @AfterAll
    static void stop() {
        if (writer != null) {
            writer.close();
        }
    }

    @Test
    void storesAnAlertSentToTheBrokerAsATransitionAndAnEpisode(final KafkaTestCluster kafka, final TestDatabase db) {
        final Instant opened = T0.plusSeconds(35);
        StoreTesting.sendAlerts(kafka, topics, List.of(Fixtures.alert(AlertState.OPENED, AlertKind.FOREIGN_BINDING,
                "alert-c1", "198.51.100.10", opened, opened, List.of("cp-1", "worker-1"),
                "kube-vip on cp-1 runs with svc_enable=true: set svc_enable=false")));

        final List<Map<String, Object>> episodes = Poll.until("the alert episode row", WAIT,
                () -> StoreTesting.rows(db.dataSource(), "SELECT * FROM alert_episodes WHERE cluster = 'alert-c1'"),
                rows -> rows.size() == 1);

        assertThat(episodes.get(0)).containsEntry("kind", "FOREIGN_BINDING").containsEntry("severity", "CRITICAL")
                .containsEntry("vip", "198.51.100.10").containsEntry("last_state", "OPENED")
                .containsEntry("resolved_at", null);
        assertThat(StoreTesting.count(db.dataSource(),
                "SELECT count(*) FROM alert_transitions WHERE cluster = 'alert-c1' AND evidence @> '[{\"node\":\"cp-1\"}]'"))
                .isEqualTo(1);
    }

    @Test
    void resolvesTheEpisodeWhenTheResolvedTransitionArrives(final KafkaTestCluster kafka, final TestDatabase db) {
        final Instant opened = T0.plusSeconds(35);
        final Instant resolved = T0.plusSeconds(76);
        StoreTesting.sendAlerts(kafka, topics, List.of(
                Fixtures.alert(AlertState.OPENED, AlertKind.FOREIGN_BINDING, "alert-c2", "198.51.100.10", opened, opened,
                        List.of("cp-1", "worker-1"), null),
                Fixtures.alert(AlertState.RESOLVED, AlertKind.FOREIGN_BINDING, "alert-c2", "198.51.100.10", opened,
                        resolved, List.of("cp-1"), null)));

        final HistoryQueries queries = HistoryQueries.of(db.dataSource());
        final History.Episodes episodes = Poll.until("a resolved episode", WAIT,
                () -> queries.episodes("alert-c2", null, T0, T0.plusSeconds(3600)), found -> found.resolved() == 1);

        assertThat(episodes.episodes()).singleElement().satisfies(episode -> {
            assertThat(episode.openedAt()).isEqualTo(opened);
            assertThat(episode.resolvedAt()).isEqualTo(resolved);
            assertThat(episode.nodes()).containsExactly("cp-1", "worker-1");
            assertThat(episode.transitions()).isEqualTo(2);
        });
        assertThat(episodes.resolveSecondsP50()).isEqualTo(41.0);
    }

    @Test
    void storesOwnershipChangesAndAnswersWhoRespondedAtATime(final KafkaTestCluster kafka, final TestDatabase db) {
        StoreTesting.sendChanges(kafka, topics, List.of(
                Fixtures.change("owner-c1", "198.51.100.10", T0.plusSeconds(6), List.of(), List.of("worker-1"),
                        "default/web"),
                Fixtures.change("owner-c1", "198.51.100.10", T0.plusSeconds(20), List.of("worker-1"),
                        List.of("cp-1", "worker-1"), "default/web")));

        final HistoryQueries queries = HistoryQueries.of(db.dataSource());
        Poll.until("both changes stored", WAIT, () -> StoreTesting.count(db.dataSource(),
                "SELECT count(*) FROM ownership_changes WHERE cluster = 'owner-c1'"), n -> n == 2);

        assertThat(queries.owner("owner-c1", "198.51.100.10", T0.plusSeconds(10)).nodes()).containsExactly("worker-1");
        assertThat(queries.owner("owner-c1", "198.51.100.10", T0.plusSeconds(30)))
                .satisfies(owner -> {
                    assertThat(owner.nodes()).containsExactly("cp-1", "worker-1");
                    assertThat(owner.service()).isEqualTo("default/web");
                    assertThat(owner.since()).isEqualTo(T0.plusSeconds(20));
                });
        assertThat(queries.owner("owner-c1", "198.51.100.10", T0).known()).isFalse();
    }

    @Test
    void deadLettersAnUndecodableRecordWithItsOriginAndStoresTheRest(final KafkaTestCluster kafka,
            final TestDatabase db) {
        kafka.produce(List.of(
                new ProducerRecord<>(topics.ownershipChanges(), 0, "dlq-c1/198.51.100.20",
                        "not avro".getBytes(StandardCharsets.UTF_8)),
                new ProducerRecord<>(topics.ownershipChanges(), 0, "dlq-c1/198.51.100.20",
                        AvroSerdes.ownershipChange().encode(Fixtures.change("dlq-c1", "198.51.100.20", T0, List.of(),
                                List.of("worker-2"), null)))), new StringSerializer(), new ByteArraySerializer());

        final List<ConsumerRecord<String, byte[]>> dead = kafka.consumeUntil(topics.dlq(), new StringDeserializer(),
                new ByteArrayDeserializer(), records -> records.stream().anyMatch(r -> "dlq-c1/198.51.100.20".equals(r.key())),
                WAIT);
        final ConsumerRecord<String, byte[]> letter = dead.stream()
                .filter(r -> "dlq-c1/198.51.100.20".equals(r.key())).findFirst().orElseThrow();

        assertThat(new String(letter.value(), StandardCharsets.UTF_8)).isEqualTo("not avro");
        assertThat(header(letter, "vipwatch.dlq.topic")).isEqualTo(topics.ownershipChanges());
        assertThat(header(letter, "vipwatch.dlq.partition")).isEqualTo("0");
        assertThat(header(letter, "vipwatch.dlq.offset")).matches("\\d+");
        assertThat(header(letter, "vipwatch.dlq.reason")).isEqualTo("undecodable");
        Poll.until("the good record stored", WAIT, () -> StoreTesting.count(db.dataSource(),
                "SELECT count(*) FROM ownership_changes WHERE cluster = 'dlq-c1'"), n -> n == 1);
        assertThat(StoreTesting.count(db.dataSource(),
                "SELECT count(*) FROM dead_letters WHERE reason = 'undecodable' AND record_key = 'dlq-c1/198.51.100.20'"))
                .isEqualTo(1);
    }

    @Test
    void keepsTheLatestVipStateAndDeletesItOnATombstone(final KafkaTestCluster kafka, final TestDatabase db) {
        kafka.produce(List.of(
                new ProducerRecord<>(topics.vipState(), "state-c1/198.51.100.30", AvroSerdes.vipState().encode(
                        Fixtures.vipState("state-c1", "198.51.100.30", T0, List.of("worker-1")))),
                new ProducerRecord<>(topics.vipState(), "state-c1/198.51.100.31", AvroSerdes.vipState().encode(
                        Fixtures.vipState("state-c1", "198.51.100.31", T0, List.of("worker-1")))),
                new ProducerRecord<>(topics.vipState(), "state-c1/198.51.100.31", AvroSerdes.vipState().encode(
                        Fixtures.vipState("state-c1", "198.51.100.31", T0.plusSeconds(5), List.of("cp-1", "worker-1")))),
                new ProducerRecord<>(topics.vipState(), "state-c1/198.51.100.30", (byte[]) null)),
                new StringSerializer(), new ByteArraySerializer());

        final HistoryQueries queries = HistoryQueries.of(db.dataSource());
        final List<History.Vip> vips = Poll.until("one VIP left in state-c1", WAIT,
                () -> StoreTesting.count(db.dataSource(), "SELECT count(*) FROM clusters WHERE cluster = 'state-c1'") == 1
                        ? queries.vips("state-c1") : List.<History.Vip>of(),
                found -> found.size() == 1 && found.get(0).responders().size() == 2);

        assertThat(vips.get(0).ip()).isEqualTo("198.51.100.31");
        assertThat(vips.get(0).openConditions()).containsExactly("FOREIGN_BINDING");
    }

    @Test
    void keepsTheLastHeartbeatOfEachSource(final KafkaTestCluster kafka, final TestDatabase db) {
        kafka.produce(List.of(
                new ProducerRecord<>(topics.heartbeats(), "beat-c1/collector/beat-c1", InputCodec.encode(
                        new Heartbeat("beat-c1", T0.toEpochMilli(), "collector/beat-c1", "h1", null, 10_000))),
                new ProducerRecord<>(topics.heartbeats(), "beat-c1/collector/beat-c1", InputCodec.encode(
                        new Heartbeat("beat-c1", T0.plusSeconds(10).toEpochMilli(), "collector/beat-c1", "h2", null,
                                10_000)))), new StringSerializer(), new ByteArraySerializer());

        final HistoryQueries queries = HistoryQueries.of(db.dataSource());
        final List<History.ClusterSummary> fleet = Poll.until("the heartbeat of beat-c1", WAIT,
                () -> StoreTesting.count(db.dataSource(), "SELECT count(*) FROM clusters WHERE cluster = 'beat-c1'") == 1
                        ? queries.fleet("beat-c1") : List.<History.ClusterSummary>of(),
                found -> found.size() == 1 && !found.get(0).heartbeats().isEmpty()
                        && found.get(0).heartbeats().get(0).at().equals(T0.plusSeconds(10)));

        assertThat(fleet.get(0).heartbeats()).singleElement()
                .isEqualTo(new History.Heartbeat("collector/beat-c1", null, T0.plusSeconds(10), 10_000));
    }

    private static String header(final ConsumerRecord<?, ?> record, final String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
