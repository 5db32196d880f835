package io.vipwatch.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

import javax.sql.DataSource;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jdbi.v3.core.Jdbi;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import io.vipwatch.embedded.PostgresServer;
import io.vipwatch.schemas.Topics;
import io.vipwatch.schemas.avro.Cause;
import io.vipwatch.schemas.avro.OwnershipChange;
import io.vipwatch.schemas.serde.AvroSerde;
import io.vipwatch.schemas.serde.AvroSerdes;
import io.vipwatch.store.HistoryQueries;
import io.vipwatch.store.HistorySettings;
import io.vipwatch.store.HistoryWriter;
import io.vipwatch.store.Migrations;
import io.vipwatch.store.internal.BatchWriter;
import io.vipwatch.store.internal.Jdbis;
import io.vipwatch.store.internal.Rows.OwnershipChangeRow;

/**
 * {@code history}: the history store's benchmarks (moved here from the store's tests so that {@code vipwatch bench}
 * runs them), in a fresh database of the given PostgreSQL (or an embedded one) and under fresh topics:
 * <ol>
 * <li>sink throughput (Kafka to PostgreSQL through {@link HistoryWriter}) against a raw COPY of the same rows into
 *     the same table with the sink's COPY encoding and transaction size: one warm-up round of each side, then
 *     alternating rounds, medians compared (target: sink >= 0.8x COPY);</li>
 * <li>point-in-time and timeline queries at {@link Sizes#historyRows} ownership-change rows (10 million in the
 *     full run) across 1,000 clusters, p50/p95/p99 through {@link HistoryQueries} (target p99 <= 10 ms).</li>
 * </ol>
 * The rows of the query table are built by {@code generate_series} in event-time order, then the production index
 * is built and the table analyzed; 1,000 clusters x 20 VIPs, changes spread over 60 days.
 */
final class HistoryBench {

    private static final int CLUSTERS = 1000;
    private static final int VIPS_PER_CLUSTER = 20;
    private static final Instant BASE = Instant.parse("2026-09-01T00:00:00Z");
    private static final Duration SPAN = Duration.ofDays(60);
    private static final Instant SINK_BASE = Instant.parse("2026-11-01T00:00:00Z");

    private final List<String> report = new ArrayList<>();
    private final Map<String, Object> figures = new LinkedHashMap<>();
    private double pointInTimeP99 = Double.NaN;
    private double timelineP99 = Double.NaN;

    /** Where the database comes from: {@code --jdbc-url} or an embedded PostgreSQL started for the run. */
    record Database(String jdbcUrl, String user, String password) {
    }

    static Result run(final BenchRun run, final Database external) {
        final long started = System.nanoTime();
        try (PostgresServer server = external == null ? PostgresServer.embedded()
                : PostgresServer.external(external.jdbcUrl(), external.user(), external.password())) {
            final String database = run.fresh("history").replace('-', '_');
            server.createDatabase(database);
            try {
                final HistoryBench bench = new HistoryBench();
                bench.figures.put("postgres", external == null ? "embedded" : "external");
                return bench.measure(run, server, database, (System.nanoTime() - started) / 1e9);
            } finally {
                server.dropDatabase(database);
            }
        }
    }

    private Result measure(final BenchRun run, final PostgresServer server, final String database,
            final double startSeconds) {
        final Sizes sizes = run.sizes();
        final DataSource dataSource = server.dataSource(database);
        Migrations.migrate(dataSource);
        report.add("| what | figure |");
        report.add("| --- | --- |");
        final double ratio = sinkAgainstCopy(run, dataSource, sizes.historySinkRecords());
        queries(dataSource, server.jdbcUrl(database), server.user(), server.password(), sizes.historyRows(),
                sizes.historyQueries());
        report.forEach(line -> run.progress("history %s", line));
        final boolean met = ratio >= 0.8 && pointInTimeP99 <= 10 && timelineP99 <= 10;
        return Result.of("history")
                .put("postgresStartSeconds", startSeconds)
                .putAll(figures)
                .put("report", report)
                .put("targets", "sink >= 0.8x raw COPY; point-in-time and timeline p99 <= 10 ms")
                .put("targetMet", met)
                .summary(String.format(Locale.ROOT, "history: sink %.2fx raw COPY (target >= 0.8); at %,d rows "
                        + "point-in-time p99 %.2f ms, timeline p99 %.2f ms (target <= 10 ms)", ratio,
                        ((Number) figures.getOrDefault("rows", sizes.historyRows())).longValue(), pointInTimeP99,
                        timelineP99));
    }

    // ---- sink throughput vs raw COPY -------------------------------------------------------------------

    private double sinkAgainstCopy(final BenchRun run, final DataSource dataSource, final int records) {
        final Topics topics = run.kafka().topics(run.fresh("history") + ".", 3);
        produce(run, topics, records);
        final Jdbi jdbi = Jdbis.create(dataSource);
        jdbi.useHandle(handle -> handle.execute("SELECT vipwatch_ensure_partition('ownership_changes', ?)", SINK_BASE));
        // the raw COPY writes the sink's transaction size: its most records per poll (--max-poll-records)
        final int transaction = HistorySettings.of(run.kafka().client(), topics, dataSource).maxPollRecords();

        // the same rows into the same (emptied) table, one warm-up round of each side, then alternating
        final List<Double> copyRates = new ArrayList<>();
        final List<Double> sinkRates = new ArrayList<>();
        final List<Double> sinkTotals = new ArrayList<>();
        final List<Map<String, Object>> rounds = new ArrayList<>();
        for (final Stats.Round round : Stats.alternation(run.sizes().rounds())) {
            jdbi.useHandle(handle -> handle.execute("TRUNCATE ownership_changes"));
            final boolean copy = round.side() == Stats.Side.BASELINE;
            final double rate;
            if (copy) {
                rate = copyRate(jdbi, records, transaction);
            } else {
                final SinkRun sink = sinkRate(run, topics, dataSource, records);
                rate = sink.steadyRate();
                if (!round.warmUp()) {
                    sinkTotals.add(sink.totalSeconds());
                }
            }
            final long stored = jdbi.withHandle(handle -> handle.createQuery("SELECT count(*) FROM ownership_changes")
                    .mapTo(Long.class).one());
            if (stored != records) {
                throw new IllegalStateException((copy ? "raw COPY" : "sink") + " stored " + stored + " rows, not "
                        + records);
            }
            run.progress("history %s round %d%s: %,.0f rows/s", copy ? "raw COPY" : "sink", round.round(),
                    round.warmUp() ? " (warm-up)" : "", rate);
            rounds.add(Map.of("side", copy ? "copy" : "sink", "round", round.round(), "warmUp", round.warmUp(),
                    "rowsPerSecond", rate));
            if (!round.warmUp()) {
                (copy ? copyRates : sinkRates).add(rate);
            }
        }
        jdbi.useHandle(handle -> handle.execute("TRUNCATE ownership_changes"));
        final double copy = Stats.median(copyRates);
        final double sink = Stats.median(sinkRates);
        final double total = Stats.median(sinkTotals);
        final double ratio = sink / copy;
        report.add(String.format(Locale.ROOT, "| raw COPY of %,d ownership-change rows, %,d per transaction (median of "
                + "%d, after a warm-up round) | %,.0f rows/s (runs: %s) |", records, transaction, copyRates.size(), copy,
                runs(copyRates)));
        report.add(String.format(Locale.ROOT, "| sink (Kafka, Avro decode, COPY + offsets per transaction of up to %,d) "
                + "from first to last commit (median of %d, after a warm-up round) | %,.0f rows/s (runs: %s) |",
                transaction, sinkRates.size(), sink, runs(sinkRates)));
        report.add(String.format(Locale.ROOT, "| sink including start and group join (%.1f s in all) | %,.0f rows/s |",
                total, records / total));
        report.add(String.format(Locale.ROOT, "| **sink / raw COPY** (target >= 0.8) | **%.2f** |", ratio));
        figures.put("sinkRecords", records);
        figures.put("rowsPerTransaction", transaction);
        figures.put("copyRowsPerSecond", copy);
        figures.put("copyRuns", copyRates);
        figures.put("sinkRowsPerSecond", sink);
        figures.put("sinkRuns", sinkRates);
        figures.put("sinkTotalSeconds", total);
        figures.put("sinkToCopy", ratio);
        figures.put("sinkRounds", rounds);
        return ratio;
    }

    private static String runs(final List<Double> rates) {
        final List<String> each = new ArrayList<>();
        rates.forEach(rate -> each.add(String.format(Locale.ROOT, "%,.0f", rate)));
        return String.join(", ", each);
    }

    /** Publishes the sink's records; a record the broker did not take fails the benchmark here, not at a timeout. */
    private static void produce(final BenchRun run, final Topics topics, final int records) {
        final AvroSerde<OwnershipChange> serde = AvroSerdes.ownershipChange();
        final Properties producerProps = run.kafka().client();
        producerProps.put(ProducerConfig.LINGER_MS_CONFIG, "10");
        producerProps.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        producerProps.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        final AtomicReference<Exception> failed = new AtomicReference<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProps, new StringSerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < records && failed.get() == null; i++) {
                final OwnershipChange change = sinkChange(i);
                producer.send(new ProducerRecord<>(topics.ownershipChanges(), change.getCluster() + "/" + change.getIp(),
                        serde.encode(change)), (metadata, error) -> {
                            if (error != null) {
                                failed.compareAndSet(null, error);
                            }
                        });
            }
            producer.flush();
        }
        if (failed.get() != null) {
            throw new IllegalStateException("could not publish the sink's records to " + topics.ownershipChanges()
                    + ": " + failed.get(), failed.get());
        }
    }

    private static long until(final String what, final Duration timeout, final HistoryWriter writer,
            final long records) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            final long stored = writer.storedRecords();
            if (stored >= records) {
                return stored;
            }
            if (writer.failure().isPresent()) {
                throw new IllegalStateException("the sink failed: " + writer.failure().get(), writer.failure().get());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + ": not within " + timeout.toSeconds() + " s (" + stored
                        + " stored)");
            }
            BenchKafka.pause(Duration.ofMillis(20));
        }
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

    private static double copyRate(final Jdbi jdbi, final int records, final int batch) {
        return jdbi.withHandle(handle -> {
            final long start = System.nanoTime();
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

    private static SinkRun sinkRate(final BenchRun run, final Topics topics, final DataSource dataSource,
            final int records) {
        final long start = System.nanoTime();
        try (HistoryWriter writer = HistoryWriter.start(HistorySettings.of(run.kafka().client(), topics, dataSource)
                .withGroupId(run.fresh("history-sink")))) {
            final long firstStored = until("the first batch", Duration.ofMinutes(2), writer, 1);
            final long first = System.nanoTime();
            until("every record stored", Duration.ofMinutes(10), writer, records);
            final long end = System.nanoTime();
            final double steady = (end - first) / 1e9;
            // a sink that stored everything in its first batches has no steady phase: count from its start then
            return new SinkRun(records - firstStored > 0 && steady > 0.2 ? (records - firstStored) / steady
                    : records / ((end - start) / 1e9), (end - start) / 1e9);
        }
    }

    // ---- queries at 10 M rows ---------------------------------------------------------------------------

    private void queries(final DataSource dataSource, final String jdbcUrl, final String user, final String password,
            final long rows, final int queries) {
        final int changesPerVip = (int) Math.max(1, rows / (CLUSTERS * VIPS_PER_CLUSTER));
        final long stepSeconds = SPAN.toSeconds() / changesPerVip;
        final Jdbi jdbi = Jdbis.create(dataSource);
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
        figures.put("rows", stored);
        figures.put("loadSeconds", seconds(loadStart));

        final HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
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
            pointInTimeP99 = row("pointInTime", "point in time (who answered for VIP X in cluster C at T)",
                    time(owner, queries));
            timelineP99 = row("timeline", "timeline over 24 h (changes, lanes, alert and flap episodes)",
                    time(timeline, queries));
            row("topFlaps", "top flapping VIPs of one cluster over 1 day (no target)",
                    time(topFlaps, Math.max(queries / 10, 50)));
        }
    }

    private double row(final String key, final String what, final long[] nanos) {
        final double[] ms = new double[nanos.length];
        for (int i = 0; i < nanos.length; i++) {
            ms[i] = nanos[i] / 1e6;
        }
        final double p50 = Stats.percentile(ms, 0.50);
        final double p95 = Stats.percentile(ms, 0.95);
        final double p99 = Stats.percentile(ms, 0.99);
        final double max = ms[ms.length - 1];
        report.add(String.format(Locale.ROOT, "| %s, %,d queries | p50 %.2f ms, p95 %.2f ms, **p99 %.2f ms**, max %.2f ms |",
                what, nanos.length, p50, p95, p99, max));
        figures.put(key, Map.of("queries", nanos.length, "p50Ms", p50, "p95Ms", p95, "p99Ms", p99, "maxMs", max));
        return p99;
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
