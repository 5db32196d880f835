package io.vipwatch.store;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vipwatch.store.internal.SinkLoop;

/**
 * The history sink: consumes these topics into PostgreSQL, each batch and its Kafka offsets in one
 * transaction, on a thread of its own and a storing thread that writes one batch while the next is polled
 * (keys UTF-8 strings, values Avro single-object encoding):
 * <ul>
 * <li>{@code vipwatch.ownership-changes.v1}: key cluster/ip, value {@code OwnershipChange} → ownership_changes;</li>
 * <li>{@code vipwatch.alerts.v1}: key fingerprint, value {@code Alert} → alert_transitions, alert_episodes;</li>
 * <li>{@code vipwatch.vip-state.v1} (compacted): key cluster/ip, value {@code VipState} or a tombstone → vip_states;</li>
 * <li>{@code vipwatch.heartbeats.v1}: key cluster/source, value {@code Heartbeat} → last_heartbeats;</li>
 * <li>with {@link HistorySettings#raw()} also the other input topics (services, announcements,
 *     node-addresses, nodes) → input_events, each event as its recording line.</li>
 * </ul>
 * Records it cannot store go to {@code vipwatch.dlq.v1} (original key and bytes; headers
 * {@code vipwatch.dlq.topic}, {@code .partition}, {@code .offset}, {@code .reason}, {@code .detail}).
 *
 * <pre>{@code
 * Migrations.migrate(dataSource);
 * try (HistoryWriter writer = HistoryWriter.start(HistorySettings.of(kafkaProps, topics, dataSource))) {
 *     ...
 * }
 * }</pre>
 *
 * The tables must exist ({@link Migrations#migrate}). {@link #close()} stops after the batch in hand is
 * committed or dropped whole; a crash at any point is just as safe, because on start the sink seeks to
 * the offsets stored with the rows.
 */
public final class HistoryWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HistoryWriter.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final SinkLoop loop;
    private final Thread thread;

    private HistoryWriter(final SinkLoop loop) {
        this.loop = loop;
        this.thread = new Thread(loop, "vipwatch-store-sink");
    }

    /** Starts the sink on its own thread and returns at once. */
    public static HistoryWriter start(final HistorySettings settings) {
        return start(settings, new SimpleMeterRegistry());
    }

    /**
     * Starts the sink on its own thread and returns at once; its batch size, commit latency, rows and dead letters
     * by reason are counted in {@code registry} ({@code vipwatch_sink_*}, {@code vipwatch_dead_letters_total}).
     */
    public static HistoryWriter start(final HistorySettings settings, final MeterRegistry registry) {
        final HistoryWriter writer = new HistoryWriter(new SinkLoop(settings, Clock.systemUTC(), registry));
        writer.thread.start();
        return writer;
    }

    /** The topics the sink reads. */
    public List<String> sourceTopics() {
        return loop.sourceTopics();
    }

    /** Kafka records covered by committed transactions since start (stored rows and dead letters). */
    public long storedRecords() {
        return loop.storedRecords();
    }

    /** Records sent to the dead-letter topic since start. */
    public long deadLetters() {
        return loop.deadLettered();
    }

    /** Attempts to store a batch that failed (PostgreSQL or Kafka down) and were retried. */
    public long failedWrites() {
        return loop.failedWrites();
    }

    public boolean isRunning() {
        return thread.isAlive();
    }

    /** The error that stopped the sink, if one did. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(loop.failure());
    }

    /** Stops the sink and waits for its thread (at most 30 s). */
    @Override
    public void close() {
        loop.stop();
        try {
            thread.join(STOP_TIMEOUT.toMillis());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("the store sink did not stop within {}", STOP_TIMEOUT);
        }
    }
}
