package io.vipwatch.store.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

import javax.sql.DataSource;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import io.vipwatch.schemas.Topics;
import io.vipwatch.schemas.avro.Cause;
import io.vipwatch.schemas.avro.OwnershipChange;
import io.vipwatch.schemas.serde.AvroSerde;
import io.vipwatch.schemas.serde.Serdes;
import io.vipwatch.store.HistoryQueries;
import io.vipwatch.store.HistorySettings;
import io.vipwatch.store.HistoryWriter;
import io.vipwatch.store.Migrations;
import io.vipwatch.store.StoreTesting;
import io.vipwatch.store.internal.BatchWriter;
import io.vipwatch.store.internal.Jdbis;
import io.vipwatch.store.internal.Rows.OwnershipChangeRow;
import io.vipwatch.testkit.KafkaTestCluster;
import io.vipwatch.testkit.Poll;
import io.vipwatch.testkit.TestDatabase;
import io.vipwatch.testkit.WithKafka;
import io.vipwatch.testkit.WithPostgres;

/**
 * The history's benchmarks (docs/benchmarks.md), run only with {@code -Pbench}:
 * <ol>
 * <li>point-in-time and timeline queries at 10 million ownership-change rows across 1,000 clusters
 *     (p50/p95/p99 through {@link HistoryQueries}, target p99 under 20 ms);</li>
 * <li>sink throughput (Kafka to PostgreSQL through {@link HistoryWriter}) against a raw COPY of the same
 *     rows into the same table, in the same run (target: the sink at least half the COPY's rate).</li>
 * </ol>
 * Sizes: {@code -Dbench.rows} (default 10,000,000), {@code -Dbench.sinkRecords} (default 400,000),
 * {@code -Dbench.queries} (default 2,000 per kind). Results go to stdout and target/benchmarks/history.md.
 */
@WithKafka
@WithPostgres
class HistoryBench {

    private static final int CLUSTERS = 1000;
    private static final int VIPS_PER_CLUSTER = 20;
    private static final Instant BASE = Instant.parse("2026-09-01T00:00:00Z");
    private static final Duration SPAN = Duration.ofDays(60);
    private static final Instant SINK_BASE = Instant.parse("2026-11-01T00:00:00Z");

    private final List<String> report = new ArrayList<>();

    @Test
    void measure(final KafkaTestCluster kafka, final TestDatabase db) throws Exception {
        final long rows = Long.getLong("bench.rows", 10_000_000L);
        final int sinkRecords = Integer.getInteger("bench.sinkRecords", 400_000);
        final int queries = Integer.getInteger("bench.queries", 2000);
        Migrations.migrate(db.dataSource());
        report.add("| what | figure |");
        report.add("| --- | --- |");
        sinkAgainstCopy(kafka, db, sinkRecords);
        queries(db, rows, queries);
        final Path out = Path.of("target", "benchmarks", "history.md");
        Files.createDirectories(out.getParent());
        Files.write(out, report);
        report.forEach(System.out::println);
    }

    // ---- sink throughput vs raw COPY -------------------------------------------------------------------

    private void sinkAgainstCopy(final KafkaTestCluster kafka, final TestDatabase db, final int records)
            throws IOException {
        final Topics topics = StoreTesting.createTopics(kafka);
        final AvroSerde<OwnershipChange> serde = Serdes.ownershipChange();
        final Properties producerProps = kafka.producerProps();
        producerProps.put(ProducerConfig.LINGER_MS_CONFIG, "10");
        producerProps.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        producerProps.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProps, new StringSerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < records; i++) {
                final OwnershipChange change = sinkChange(i);
                producer.send(new ProducerRecord<>(topics.ownershipChanges(), change.getCluster() + "/" + change.getIp(),
                        serde.encode(change)));
            }
            producer.flush();
        }
        final Jdbi jdbi = Jdbis.create(db.dataSource());
        jdbi.useHandle(handle -> {
            handle.execute("SELECT vipwatch_ensure_partition('ownership_changes', ?)", SINK_BASE);
        });

        // the same rows into the same (emptied) table: COPY, then the sink, then COPY again
        final double copyFirst = copyRate(jdbi, records);
        jdbi.useHandle(handle -> handle.execute("TRUNCATE ownership_changes"));
        final SinkRun sink = sinkRate(kafka, topics, db.dataSource(), records);
        final double copySecond = copyRate(jdbi, records);
        jdbi.useHandle(handle -> handle.execute("TRUNCATE ownership_changes"));
        final double copy = Math.max(copyFirst, copySecond);
        report.add(String.format(Locale.ROOT, "| raw COPY of %,d ownership-change rows, 5,000 per transaction (best of 2) "
                + "| %,.0f rows/s (runs: %,.0f and %,.0f) |", records, copy, copyFirst, copySecond));
        report.add(String.format(Locale.ROOT, "| sink (Kafka, Avro decode, COPY + offsets per transaction of up to 5,000) "
                + "from first to last commit | %,.0f rows/s |", sink.steadyRate()));
        report.add(String.format(Locale.ROOT, "| sink including start and group join (%.1f s in all) | %,.0f rows/s |",
                sink.totalSeconds(), records / sink.totalSeconds()));
        report.add(String.format(Locale.ROOT, "| **sink / raw COPY** (target >= 50 %%) | **%.0f %%** |",
                100 * sink.steadyRate() / copy));
    }

    private static OwnershipChange sinkChange(final int i) {
        final int cluster = i % CLUSTERS;
        final int vip = (i / CLUSTERS) % VIPS_PER_CLUSTER;
        final long at = SINK_BASE.toEpochMilli() + i;
        return OwnershipChange.newBuilder()
                .setEventId("sink-" + i)
                .setCluster(String.format(Locale.ROOT, "sink-c%04d", cluster))
                .setIp("198.51.100." + (vip + 1))
                .setAt(at)
                .setBefore(i % 2 == 0 ? List.of("worker-1") : List.of("cp-1", "worker-1"))
                .setAfter(i % 2 == 0 ? List.of("cp-1", "worker-1") : List.of("worker-1"))
                .setService("default/web-" + vip)
                .setCause(Cause.newBuilder().setType("node-addresses").setKey("sink-c/cp-1").setEventId("ev-" + i)
                        .setSource("agent/cp-1").setObservedAt(at).build())
                .build();
    }

    private static OwnershipChangeRow sinkRow(final int i) {
        final OwnershipChange change = sinkChange(i);
        return new OwnershipChangeRow(Instant.ofEpochMilli(change.getAt()), change.getCluster(), change.getIp(),
                change.getEventId(), change.getBefore(), change.getAfter(), change.getService(),
                change.getCause().getType(), change.getCause().getKey(), change.getCause().getEventId(),
                change.getCause().getSource(), Instant.ofEpochMilli(change.getCause().getObservedAt()));
    }

    private static double copyRate(final Jdbi jdbi, final int records) {
        return jdbi.withHandle(handle -> {
            handle.execute("TRUNCATE ownership_changes");
            final long start = System.nanoTime();
            final int batch = 5000;
            for (int first = 0; first < records; first += batch) {
                final List<OwnershipChangeRow> rows = new ArrayList<>(batch);
                for (int i = first; i < Math.min(records, first + batch); i++) {
                    rows.add(sinkRow(i));
                }
                handle.begin();
                BatchWriter.copyOwnershipChanges(handle, rows);
                handle.commit();
            }
            return records / seconds(start);
        });
    }

    record SinkRun(double steadyRate, double totalSeconds) {
    }

    private static SinkRun sinkRate(final KafkaTestCluster kafka, final Topics topics, final DataSource dataSource,
            final int records) {
        final Properties client = new Properties();
        client.put("bootstrap.servers", kafka.bootstrapServers());
        final long start = System.nanoTime();
        try (HistoryWriter writer = HistoryWriter.start(HistorySettings.of(client, topics, dataSource)
                .withGroupId(kafka.topicPrefix() + "bench"))) {
            final long firstStored = Poll.until("the first batch", Duration.ofMinutes(2), writer::storedRecords, n -> n > 0);
            final long first = System.nanoTime();
            Poll.until("every record stored", Duration.ofMinutes(10), writer::storedRecords, n -> n >= records);
            final long end = System.nanoTime();
            return new SinkRun((records - firstStored) / ((end - first) / 1e9), (end - start) / 1e9);
        }
    }

    // ---- queries at 10 M rows ---------------------------------------------------------------------------

    private void queries(final TestDatabase db, final long rows, final int queries) {
        final int changesPerVip = (int) (rows / (CLUSTERS * VIPS_PER_CLUSTER));
        final long stepSeconds = SPAN.toSeconds() / changesPerVip;
        final Jdbi jdbi = Jdbis.create(db.dataSource());
        final long loadStart = System.nanoTime();
        jdbi.useHandle(handle -> {
            for (Instant month = BASE; month.isBefore(BASE.plus(SPAN).plus(Duration.ofDays(31))); month = month.plus(Duration.ofDays(28))) {
                handle.execute("SELECT vipwatch_ensure_partition('ownership_changes', ?)", month);
            }
            handle.execute("SET synchronous_commit = off");
            handle.execute("SET maintenance_work_mem = '256MB'");
            // load without the index, in event-time order (as the sink would write it), then build the index
            handle.execute("DROP INDEX ownership_changes_vip_at");
            handle.execute("""
                    INSERT INTO clusters (cluster, first_seen, last_seen)
                    SELECT format('bench-c%s', lpad(c::text, 4, '0')), ?, ?
                    FROM generate_series(0, ? - 1) AS c
                    """, BASE, BASE.plus(SPAN), CLUSTERS);
            handle.execute("""
                    INSERT INTO ownership_changes (at, cluster, ip, event_id, before_nodes, after_nodes, service,
                                                   cause_type, cause_key, cause_event_id, cause_source, cause_observed_at)
                    SELECT at, cluster, ip, 'bench-' || k || '-' || c || '-' || v,
                           CASE (k + 2) % 3 WHEN 0 THEN '{worker-1}'::text[] WHEN 1 THEN '{worker-2}' ELSE '{cp-1,worker-1}' END,
                           CASE k % 3 WHEN 0 THEN '{worker-1}'::text[] WHEN 1 THEN '{worker-2}' ELSE '{cp-1,worker-1}' END,
                           'default/web-' || v, 'node-addresses', cluster || '/cp-1', NULL, 'agent/cp-1', at
                    FROM generate_series(0, ? - 1) AS k,
                         generate_series(0, ? - 1) AS c,
                         generate_series(0, ? - 1) AS v,
                         LATERAL (SELECT format('bench-c%s', lpad(c::text, 4, '0')) AS cluster,
                                         '198.51.100.' || (v + 1) AS ip,
                                         CAST(? AS timestamptz) + make_interval(secs => k * ? + (c * 37 + v * 11) % ?) AS at) AS row
                    """, changesPerVip, CLUSTERS, VIPS_PER_CLUSTER, BASE, stepSeconds, stepSeconds);
            handle.execute("CREATE INDEX ownership_changes_vip_at ON ownership_changes (cluster, ip, at DESC)");
            handle.execute("VACUUM ANALYZE ownership_changes");
            handle.execute("VACUUM ANALYZE clusters");
        });
        final long stored = jdbi.withHandle(handle -> handle.createQuery("SELECT count(*) FROM ownership_changes")
                .mapTo(Long.class).one());
        report.add(String.format(Locale.ROOT, "| ownership_changes loaded (generate_series, then the index) "
                + "| %,d rows, %,d clusters x %d VIPs x %d changes, in %.0f s |", stored, CLUSTERS, VIPS_PER_CLUSTER,
                changesPerVip, seconds(loadStart)));

        final HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db.jdbcUrl());
        config.setUsername(db.user());
        config.setPassword(db.password());
        config.setMaximumPoolSize(2);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            final HistoryQueries history = HistoryQueries.of(pool);
            final SplittableRandom random = new SplittableRandom(42);
            final IntConsumer owner = i -> history.owner(cluster(random), ip(random), randomTime(random));
            final IntConsumer timeline = i -> {
                final Instant from = randomTime(random);
                history.timeline(cluster(random), ip(random), from, from.plus(Duration.ofHours(24)));
            };
            final IntConsumer topFlaps = i -> {
                final Instant from = randomTime(random);
                history.topFlaps(cluster(random), from, from.plus(Duration.ofDays(1)), 20);
            };
            // warm-up: plans, caches, JIT
            time(owner, queries / 2);
            time(timeline, queries / 2);
            row("point in time (who answered for VIP X in cluster C at T)", time(owner, queries));
            row("timeline over 24 h (changes, lanes, alert and flap episodes)", time(timeline, queries));
            row("top flapping VIPs of one cluster over 1 day (no target)", time(topFlaps, Math.max(queries / 10, 50)));
        }
    }

    private void row(final String what, final long[] nanos) {
        Arrays.sort(nanos);
        report.add(String.format(Locale.ROOT, "| %s, %,d queries | p50 %.2f ms, p95 %.2f ms, **p99 %.2f ms**, max %.2f ms |",
                what, nanos.length, percentile(nanos, 0.50), percentile(nanos, 0.95), percentile(nanos, 0.99),
                nanos[nanos.length - 1] / 1e6));
    }

    private static long[] time(final IntConsumer query, final int count) {
        final long[] nanos = new long[count];
        for (int i = 0; i < count; i++) {
            final long start = System.nanoTime();
            query.accept(i);
            nanos[i] = System.nanoTime() - start;
        }
        return nanos;
    }

    private static double percentile(final long[] sorted, final double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }

    private static String cluster(final SplittableRandom random) {
        return String.format(Locale.ROOT, "bench-c%04d", random.nextInt(CLUSTERS));
    }

    private static String ip(final SplittableRandom random) {
        return "198.51.100." + (random.nextInt(VIPS_PER_CLUSTER) + 1);
    }

    private static Instant randomTime(final SplittableRandom random) {
        return BASE.plusSeconds(random.nextLong(SPAN.toSeconds()));
    }

    private static double seconds(final long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
