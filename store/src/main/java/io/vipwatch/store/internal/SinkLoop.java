package io.vipwatch.store.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vipwatch.ops.telemetry.DeadLetterMetrics;
import io.vipwatch.store.HistorySettings;
import io.vipwatch.store.internal.OffsetDao.StoredOffset;
import io.vipwatch.store.internal.Rows.OffsetRange;

/**
 * The sink's thread: poll, decode, send dead letters, store the batch with its offsets in one
 * transaction, repeat. On every assignment it seeks to the offsets stored in PostgreSQL (the beginning
 * where none are stored), so a crash anywhere loses and duplicates nothing. While PostgreSQL is down it
 * keeps the batch and retries with exponential backoff; it never stores part of a batch.
 *
 * <p>Storing runs on a second thread, one batch at a time, so the next batch is polled and decoded while
 * PostgreSQL stores the last one. Batches are still stored in order, each in its own transaction with its
 * offsets; the poll thread waits for the batch in flight before the next is stored, before partitions move
 * (rebalance), before maintenance and before it stops. When a batch is fenced (another sink stored its
 * records), the batch decoded meanwhile is dropped too and the consumer seeks to the stored offsets.
 */
public final class SinkLoop implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(SinkLoop.class);
    private static final int MONTHS_AHEAD = 2;

    private final HistorySettings settings;
    private final KafkaConsumer<String, byte[]> consumer;
    private final DeadLetterPublisher deadLetters;
    private final BatchWriter writer;
    private final RecordDecoder decoder;
    private final Clock clock;
    private final List<String> sourceTopics;
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private final AtomicLong storedRecords = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong committedBatches = new AtomicLong();
    private final AtomicLong failedWrites = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean running = true;
    private Instant nextMaintenance = Instant.MIN;
    // stores batches (and runs every other use of the writer's connection) off the poll thread
    private final ExecutorService storing;
    private Future<Stored> inFlight; // the batch being stored, if any: only the poll thread touches this
    private Batch inFlightBatch;

    /** How storing a batch ended. */
    private enum Stored { COMMITTED, FENCED, STOPPED }

    private final DeadLetterMetrics deadLetterMetrics;
    private final DistributionSummary batchSize;
    private final Timer commitLatency;
    private final Counter rows;
    private final HeartbeatAges heartbeatAges;
    private final KafkaClientMetrics consumerMetrics;

    public SinkLoop(final HistorySettings settings, final Clock clock) {
        this(settings, clock, new SimpleMeterRegistry());
    }

    /** A sink whose batch metrics and dead letters are counted in {@code registry} (docs/operations.md). */
    public SinkLoop(final HistorySettings settings, final Clock clock, final MeterRegistry registry) {
        this.settings = settings;
        this.clock = clock;
        this.deadLetterMetrics = new DeadLetterMetrics(registry);
        this.batchSize = DistributionSummary.builder("vipwatch_sink_batch_records")
                .description("Kafka records in one committed sink batch (rows and dead letters)")
                .baseUnit("records").publishPercentiles(0.5, 0.99).register(registry);
        this.commitLatency = Timer.builder("vipwatch_sink_commit")
                .description("Time to store one batch with its offsets in one PostgreSQL transaction (retries included)")
                .publishPercentiles(0.5, 0.99).register(registry);
        this.rows = Counter.builder("vipwatch_sink_rows")
                .description("Records the sink stored as rows in PostgreSQL (dead letters not included)")
                .register(registry);
        this.heartbeatAges = new HeartbeatAges(registry, clock);
        this.sourceTopics = new ArrayList<>(List.of(settings.topics().ownershipChanges(), settings.topics().alerts(),
                settings.topics().vipState()));
        if (settings.raw()) {
            sourceTopics.addAll(settings.topics().inputs());
        } else {
            sourceTopics.add(settings.topics().heartbeats());
        }
        this.consumer = new KafkaConsumer<>(consumerProperties(settings), new StringDeserializer(),
                new ByteArrayDeserializer());
        this.consumerMetrics = new KafkaClientMetrics(consumer);
        consumerMetrics.bindTo(registry);
        this.deadLetters = new DeadLetterPublisher(settings.clientProperties(), settings.topics().dlq());
        this.writer = new BatchWriter(Jdbis.create(settings.dataSource()), settings.groupId());
        this.decoder = new RecordDecoder(settings.topics(), settings.raw());
        this.storing = Executors.newSingleThreadExecutor(task -> {
            final Thread thread = new Thread(task, "vipwatch-store-writer");
            thread.setDaemon(true);
            return thread;
        });
    }

    static Properties consumerProperties(final HistorySettings settings) {
        final Properties props = new Properties();
        props.putAll(settings.clientProperties());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        // the offsets live in PostgreSQL, in the transaction of the rows they cover
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // the streams app writes with exactly_once_v2: never store an aborted record
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(settings.maxPollRecords()));
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "vipwatch-store");
        return props;
    }

    /** Topics the sink reads. */
    public List<String> sourceTopics() {
        return List.copyOf(sourceTopics);
    }

    public long storedRecords() {
        return storedRecords.get();
    }

    public long deadLettered() {
        return deadLettered.get();
    }

    public long committedBatches() {
        return committedBatches.get();
    }

    public long failedWrites() {
        return failedWrites.get();
    }

    public Throwable failure() {
        return failure.get();
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(sourceTopics, new SeekToStoredOffsets());
            LOG.info("store sink started: group {}, topics {}", settings.groupId(), sourceTopics);
            while (running) {
                if (!clock.instant().isBefore(nextMaintenance)) {
                    finishInFlight();
                    maintainIfDue();
                }
                final ConsumerRecords<String, byte[]> records;
                try {
                    records = consumer.poll(settings.pollTimeout());
                } catch (final WakeupException e) {
                    continue;
                }
                if (records.isEmpty()) {
                    if (inFlight != null && inFlight.isDone()) {
                        finishInFlight();
                    }
                    continue;
                }
                final Batch batch = decoder.decode(records);
                // decoded while the previous batch was stored; stored only after it, and only if it was not fenced
                if (finishInFlight() && running) {
                    inFlightBatch = batch;
                    inFlight = storing.submit(() -> store(batch));
                }
            }
            finishInFlight();
        } catch (final WakeupException e) {
            // close() while a rebalance callback waited
        } catch (final RuntimeException | Error e) {
            failure.set(e);
            LOG.error("store sink stopped: {}", e.toString(), e);
        } finally {
            closeQuietly();
            LOG.info("store sink stopped after {} records in {} batches", storedRecords.get(), committedBatches.get());
        }
    }

    /** Asks the loop to stop; the batch in hand is either committed or dropped whole. */
    public void stop() {
        running = false;
        stopSignal.countDown();
        consumer.wakeup();
    }

    /**
     * Waits for the batch in flight, if any, and does what must follow on the poll thread. Returns true when
     * the next batch may be stored: false when it was fenced (the consumer then seeks to the stored offsets,
     * so records polled since must be dropped) or the sink stops.
     */
    private boolean finishInFlight() {
        if (inFlight == null) {
            return true;
        }
        final Stored outcome;
        try {
            outcome = inFlight.get();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
            return false;
        } catch (final ExecutionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } finally {
            inFlight = null;
        }
        final Batch batch = inFlightBatch;
        inFlightBatch = null;
        switch (outcome) {
            case COMMITTED -> {
                commitToKafkaForMonitoring(batch);
                return true;
            }
            case FENCED -> {
                seekToStored(consumer.assignment());
                return false;
            }
            default -> {
                return false;
            }
        }
    }

    /** Stores one batch with its offsets, retrying while PostgreSQL or Kafka fail; runs on the storing thread. */
    private Stored store(final Batch batch) {
        Duration backoff = settings.retryBackoffMin();
        int attempt = 1;
        boolean deadLettersSent = false;
        while (running) {
            try {
                if (!deadLettersSent) {
                    deadLetters.publish(batch.deadLetters);
                    deadLettersSent = true;
                    batch.deadLetters.forEach(letter -> LOG.warn("dead letter: {} partition {} offset {}: {}: {}",
                            letter.topic(), letter.partition(), letter.kafkaOffset(), letter.reason(), letter.detail()));
                }
                final long started = System.nanoTime();
                writer.write(batch);
                commitLatency.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                storedRecords.addAndGet(batch.records());
                deadLettered.addAndGet(batch.deadLetters.size());
                committedBatches.incrementAndGet();
                batchSize.record(batch.records());
                rows.increment(batch.records() - batch.deadLetters.size());
                batch.deadLetters.forEach(letter -> deadLetterMetrics.record(letter.reason(), letter.topic()));
                batch.heartbeats.values().forEach(row -> heartbeatAges.heard(row.cluster(), row.source(), row.at()));
                if (attempt > 1) {
                    LOG.info("stored the batch after {} attempts", attempt);
                }
                return Stored.COMMITTED;
            } catch (final BatchWriter.FencedException e) {
                LOG.warn("batch dropped: {}; seeking to the stored offsets", e.getMessage());
                return Stored.FENCED;
            } catch (final RuntimeException e) {
                failedWrites.incrementAndGet();
                LOG.warn("could not store a batch of {} records (attempt {}), retrying in {} ms: {}", batch.records(),
                        attempt, backoff.toMillis(), rootMessage(e));
                if (!pause(backoff)) {
                    return Stored.STOPPED;
                }
                backoff = backoff.multipliedBy(2);
                if (backoff.compareTo(settings.retryBackoffMax()) > 0) {
                    backoff = settings.retryBackoffMax();
                }
                attempt++;
            }
        }
        return Stored.STOPPED;
    }

    // Kafka's committed offsets are not the source of truth (PostgreSQL's are); they let lag tools see the sink
    private void commitToKafkaForMonitoring(final Batch batch) {
        final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (final OffsetRange range : batch.offsetRanges()) {
            offsets.put(new TopicPartition(range.topic(), range.partition()), new OffsetAndMetadata(range.nextOffset()));
        }
        consumer.commitAsync(offsets, (committed, error) -> {
            if (error != null) {
                LOG.debug("monitoring commit to Kafka failed: {}", error.toString());
            }
        });
    }

    private void maintainIfDue() {
        final Instant now = clock.instant();
        if (now.isBefore(nextMaintenance)) {
            return;
        }
        nextMaintenance = now.plus(settings.maintenanceInterval());
        try {
            writer.ensurePartitionsAhead(now, MONTHS_AHEAD);
            if (!settings.retention().isZero()) {
                final List<String> dropped = writer.dropBefore(now.minus(settings.retention()));
                if (!dropped.isEmpty()) {
                    LOG.info("retention {} dropped partitions {}", settings.retention(), dropped);
                }
            }
        } catch (final RuntimeException e) {
            // retried at the next interval; batches create the partitions they need themselves
            nextMaintenance = now.plus(settings.retryBackoffMax());
            LOG.warn("partition maintenance failed, retrying in {}: {}", settings.retryBackoffMax(), rootMessage(e));
        }
    }

    private void seekToStored(final Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        Duration backoff = settings.retryBackoffMin();
        while (running) {
            try {
                final Map<TopicPartition, Long> stored = new HashMap<>();
                for (final StoredOffset offset : writer.withHandle(
                        handle -> handle.attach(OffsetDao.class).load(settings.groupId()))) {
                    stored.put(new TopicPartition(offset.topic(), offset.partition()), offset.nextOffset());
                }
                final List<TopicPartition> fromStart = new ArrayList<>();
                for (final TopicPartition partition : partitions) {
                    final Long next = stored.get(partition);
                    if (next == null) {
                        fromStart.add(partition);
                    } else {
                        consumer.seek(partition, next);
                    }
                }
                if (!fromStart.isEmpty()) {
                    consumer.seekToBeginning(fromStart);
                }
                LOG.info("assigned {}: seeking to stored offsets ({} from the beginning)", partitions, fromStart.size());
                return;
            } catch (final RuntimeException e) {
                LOG.warn("could not read the stored offsets, retrying in {} ms: {}", backoff.toMillis(), rootMessage(e));
                if (!pause(backoff)) {
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(settings.retryBackoffMax()) > 0
                        ? settings.retryBackoffMax() : backoff.multipliedBy(2);
            }
        }
    }

    /** Waits, unless stop() comes first; returns whether to go on. */
    private boolean pause(final Duration wait) {
        try {
            return !stopSignal.await(wait.toMillis(), TimeUnit.MILLISECONDS) && running;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
            return false;
        }
    }

    private void closeQuietly() {
        try {
            finishInFlight();
        } catch (final RuntimeException e) {
            LOG.debug("the batch in flight failed while stopping: {}", e.toString());
        }
        storing.shutdown();
        try {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        } catch (final RuntimeException e) {
            LOG.debug("closing the consumer: {}", e.toString());
        }
        deadLetters.close();
        consumerMetrics.close();
        writer.close();
    }

    private static String rootMessage(final Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == error ? error.toString() : error.getMessage() + " (" + root + ")";
    }

    private final class SeekToStoredOffsets implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsAssigned(final Collection<TopicPartition> partitions) {
            // the offsets to seek to are those after the batch in flight (the writer's connection is the poll thread's again)
            finishInFlight();
            seekToStored(partitions);
        }

        @Override
        public void onPartitionsRevoked(final Collection<TopicPartition> partitions) {
            // the batch in flight commits (or is dropped) before the partitions move, so the next owner reads
            // its offsets; nothing else to flush: every stored batch committed its offsets with it
            finishInFlight();
        }
    }
}
