package io.vipwatch.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import javax.sql.DataSource;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import io.vipwatch.schemas.Topics;
import io.vipwatch.schemas.avro.AlertKind;
import io.vipwatch.schemas.avro.AlertState;
import io.vipwatch.schemas.serde.AvroSerdes;
import io.vipwatch.testkit.KafkaTestCluster;
import io.vipwatch.testkit.Poll;
import io.vipwatch.testkit.TestDatabase;
import io.vipwatch.testkit.WithKafka;
import io.vipwatch.testkit.WithPostgres;

/**
 * Kill -9 the sink (a JVM of its own) twice mid-stream and restart it: the tables must equal, row for
 * row, those of a sink that ran through without a kill over the same records.
 */
@WithKafka
@WithPostgres
class SinkCrashIT {

    private static final Instant T0 = Instant.parse("2026-10-30T00:00:00Z");
    private static final int CLUSTERS = 20;
    private static final int VIPS = 25;
    private static final int CHANGES_PER_VIP = 24;
    private static final int TOTAL_CHANGES = CLUSTERS * VIPS * CHANGES_PER_VIP;
    private static final Duration WAIT = Duration.ofSeconds(120);
    // table -> the columns compared (everything but bookkeeping times set by now())
    private static final Map<String, String> TABLES = Map.of(
            "ownership_changes", "at, cluster, ip, event_id, before_nodes, after_nodes, service, cause_type, cause_key,"
                    + " cause_event_id, cause_source, cause_observed_at",
            "alert_transitions", "at, event_id, fingerprint, episode, state, kind, severity, cluster, vip, service,"
                    + " nodes, opened_at, hint, evidence",
            "alert_episodes", "episode, fingerprint, cluster, vip, kind, severity, service, nodes, opened_at,"
                    + " resolved_at, last_state, last_at, hint, transitions",
            "vip_states", "cluster, ip, updated_at, responders, open_conditions, flap_penalty, claims, announcements, bindings",
            "clusters", "cluster, first_seen, last_seen",
            "dead_letters", "topic, partition, kafka_offset, record_key, reason, detail");

    private static final List<Process> started = new ArrayList<>();
    private static String referenceDb;
    private static TestDatabase classDb;

    @AfterAll
    static void cleanUp() {
        started.forEach(Process::destroyForcibly);
        if (referenceDb != null) {
            StoreTesting.query(classDb.dataSource(), handle -> handle.execute("DROP DATABASE IF EXISTS " + referenceDb
                    + " WITH (FORCE)"));
        }
    }

    @Test
    void storesEveryRowExactlyOnceAcrossKills(final KafkaTestCluster kafka, final TestDatabase db) throws Exception {
        classDb = db;
        final Topics topics = StoreTesting.createTopics(kafka);
        produceWorkload(kafka, topics);
        final int records = TOTAL_CHANGES + CLUSTERS * VIPS * 3 + 1;

        // the reference: one sink, no kill, in a database of its own on the same server
        referenceDb = db.name() + "_ref";
        StoreTesting.query(db.dataSource(), handle -> handle.execute("CREATE DATABASE " + referenceDb));
        final DataSource reference = dataSource(db, db.jdbcUrl().replace("/" + db.name(), "/" + referenceDb));
        Migrations.migrate(reference);
        final Properties client = new Properties();
        client.put("bootstrap.servers", kafka.bootstrapServers());
        try (HistoryWriter writer = HistoryWriter.start(HistorySettings.of(client, topics, reference)
                .withGroupId(kafka.topicPrefix() + "reference").withPoll(Duration.ofMillis(100), 250))) {
            Poll.until("the reference run stored every record", WAIT, writer::storedRecords, n -> n == records);
        }

        // the crash run: kill -9 twice while it is writing, then let it finish
        Migrations.migrate(db.dataSource());
        final String group = kafka.topicPrefix() + "crashing";
        for (final double killAt : new double[] {0.2, 0.6}) {
            final Process sink = startSink(kafka, db, group);
            final long threshold = (long) (TOTAL_CHANGES * killAt);
            Poll.until("the sink stored more than " + threshold + " changes", WAIT,
                    () -> StoreTesting.count(db.dataSource(), "SELECT count(*) FROM ownership_changes"), n -> n > threshold);
            sink.destroyForcibly().waitFor();
            assertThat(StoreTesting.count(db.dataSource(), "SELECT count(*) FROM ownership_changes"))
                    .as("killed mid-stream").isLessThan(TOTAL_CHANGES);
        }
        final Process last = startSink(kafka, db, group);
        Poll.until("the restarted sink caught up", WAIT,
                () -> StoreTesting.count(db.dataSource(), "SELECT count(*) FROM ownership_changes"), n -> n == TOTAL_CHANGES);
        Poll.until("every offset stored", WAIT, () -> StoreTesting.count(db.dataSource(),
                "SELECT coalesce(sum(next_offset), 0) FROM kafka_offsets"), n -> n == records);
        last.destroyForcibly().waitFor();

        for (final Map.Entry<String, String> table : TABLES.entrySet()) {
            // each row as its text form: arrays and jsonb compare by value
            final String sql = "SELECT ROW(" + table.getValue() + ")::text FROM " + table.getKey() + " ORDER BY "
                    + table.getValue();
            assertThat(StoreTesting.texts(db.dataSource(), sql)).as(table.getKey())
                    .isNotEmpty()
                    .containsExactlyElementsOf(StoreTesting.texts(reference, sql));
        }
    }

    private static void produceWorkload(final KafkaTestCluster kafka, final Topics topics) {
        final List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (int c = 0; c < CLUSTERS; c++) {
            final String cluster = "crash-c" + c;
            for (int v = 0; v < VIPS; v++) {
                final String ip = "198.51.100." + (v + 1);
                final String key = cluster + "/" + ip;
                List<String> before = List.of();
                for (int i = 0; i < CHANGES_PER_VIP; i++) {
                    // two days of changes: the rows span two monthly partitions
                    final Instant at = T0.plusSeconds(i * 7200L + v * 13L + c);
                    final List<String> after = i % 3 == 0 ? List.of("cp-1", "worker-1") : List.of("worker-" + (i % 2 + 1));
                    records.add(new ProducerRecord<>(topics.ownershipChanges(), key,
                            AvroSerdes.ownershipChange().encode(Fixtures.change(cluster, ip, at, before, after, "default/web"))));
                    before = after;
                }
                final Instant opened = T0.plusSeconds(v * 60L);
                records.add(new ProducerRecord<>(topics.alerts(), key, AvroSerdes.alert().encode(Fixtures.alert(
                        AlertState.OPENED, AlertKind.FOREIGN_BINDING, cluster, ip, opened, opened, List.of("cp-1", "worker-1"),
                        "hint"))));
                records.add(new ProducerRecord<>(topics.alerts(), key, AvroSerdes.alert().encode(Fixtures.alert(
                        AlertState.RESOLVED, AlertKind.FOREIGN_BINDING, cluster, ip, opened, opened.plusSeconds(40 + v),
                        List.of("cp-1"), "hint"))));
                records.add(new ProducerRecord<>(topics.vipState(), key, AvroSerdes.vipState().encode(
                        Fixtures.vipState(cluster, ip, T0.plusSeconds(v), List.of("worker-1")))));
            }
        }
        records.add(new ProducerRecord<>(topics.ownershipChanges(), "crash-c0/bad", new byte[] {1, 2, 3}));
        kafka.produce(records, new StringSerializer(), new ByteArraySerializer());
    }

    private static Process startSink(final KafkaTestCluster kafka, final TestDatabase db, final String group)
            throws IOException {
        final Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        final Path log = Path.of("target", "sink-process-" + started.size() + ".log");
        Files.createDirectories(log.getParent());
        final Process process = new ProcessBuilder(java.toString(), "-Xmx256m",
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-cp", System.getProperty("java.class.path"), SinkProcess.class.getName(),
                kafka.bootstrapServers(), kafka.topicPrefix(), db.jdbcUrl(), db.user(), group)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        started.add(process);
        return process;
    }

    private static DataSource dataSource(final TestDatabase db, final String url) {
        final PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(url);
        dataSource.setUser(db.user());
        dataSource.setPassword(db.password());
        return dataSource;
    }
}
