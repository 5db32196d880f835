package io.vipwatch.streams;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.MeterRegistry;
import io.vipwatch.ops.telemetry.DeadLetterMetrics;
import io.vipwatch.streams.internal.BrokerLagClientSupplier;
import io.vipwatch.streams.internal.DeadLetterHandler;
import io.vipwatch.streams.internal.InputProgress;

/**
 * A running VIP ownership topology. {@link #start} returns once Kafka Streams is RUNNING (or fails with the
 * reason); {@link #close} shuts it down cleanly, committing what was processed.
 *
 * <pre>{@code
 * StreamsSettings settings = StreamsSettings.of(kafkaOptions).withStateDir(Path.of("/var/lib/vipwatch"));
 * try (VipwatchStreams streams = VipwatchStreams.start(settings)) {
 *     ... // alerts flow to settings.topics().alerts()
 * }
 * }</pre>
 */
public final class VipwatchStreams implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(VipwatchStreams.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaStreams streams;
    private final AtomicReference<Throwable> failure;
    private final InputProgress progress;

    private VipwatchStreams(final KafkaStreams streams, final AtomicReference<Throwable> failure,
            final InputProgress progress) {
        this.streams = streams;
        this.failure = failure;
        this.progress = progress;
    }

    /**
     * Builds the topology, starts it and waits until it is RUNNING.
     *
     * @throws IllegalStateException naming the state reached and the cause when it does not get there in
     *                               {@link StreamsSettings#startTimeout()}
     */
    public static VipwatchStreams start(final StreamsSettings settings) {
        return start(settings, null);
    }

    /**
     * Starts the application as {@link #start(StreamsSettings)} does, counting its dead letters by reason and topic in
     * {@code registry} ({@code vipwatch_dead_letters_total}); a {@code null} registry counts nothing.
     */
    public static VipwatchStreams start(final StreamsSettings settings, final MeterRegistry registry) {
        if (settings.createTopicsPartitions() > 0) {
            try (Admin admin = Admin.create(settings.clientProperties())) {
                settings.topics().ensureCreated(admin, settings.createTopicsPartitions(),
                        (short) (settings.replicationFactor() > 0 ? settings.replicationFactor() : 1));
            }
        }
        final InputProgress progress = InputProgress.start(settings.clientProperties(), settings.applicationId(),
                settings.topics().inputs(), settings.repartition()
                        ? List.of(VipOwnershipTopology.repartitionTopic(settings)) : List.of(),
                settings.punctuationInterval());
        final KafkaStreams streams;
        try {
            if (!settings.repartition()) {
                requireCoPartitioned(settings, progress.partitionCounts());
            }
            final Properties config = VipOwnershipTopology.streamsConfig(settings);
            if (registry != null) {
                config.put(DeadLetterHandler.METRICS_CONFIG, new DeadLetterMetrics(registry));
            }
            streams = new KafkaStreams(VipOwnershipTopology.build(settings, progress), config,
                    new BrokerLagClientSupplier(progress));
        } catch (final RuntimeException e) {
            progress.close();
            throw e;
        }
        final CountDownLatch settled = new CountDownLatch(1);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        streams.setStateListener((now, before) -> {
            LOG.info("kafka streams {} -> {}", before, now);
            if (now == KafkaStreams.State.RUNNING || now == KafkaStreams.State.ERROR
                    || now == KafkaStreams.State.PENDING_ERROR || now == KafkaStreams.State.NOT_RUNNING) {
                settled.countDown();
            }
        });
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("stream thread failed; shutting the client down", e);
            failure.compareAndSet(null, e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        LOG.info("starting {} (topics prefix '{}', state {})", settings.applicationId(), settings.topics().prefix(),
                settings.stateDir());
        streams.start();
        boolean reached;
        try {
            reached = settled.await(settings.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            reached = false;
        }
        final KafkaStreams.State state = streams.state();
        if (!reached || state != KafkaStreams.State.RUNNING) {
            streams.close(CLOSE_TIMEOUT);
            progress.close();
            final Throwable cause = failure.get();
            throw new IllegalStateException("kafka streams " + settings.applicationId() + " did not reach RUNNING"
                    + (reached ? "" : " within " + settings.startTimeout().toSeconds() + " s") + " (state " + state
                    + ")" + (cause == null ? "" : ": " + cause), cause);
        }
        return new VipwatchStreams(streams, failure, progress);
    }

    /**
     * The co-partitioned topology reads a cluster's events from the same partition index of every input topic:
     * that needs the same partition count on all of them.
     *
     * @throws IllegalStateException naming every input topic and its partition count when they differ
     */
    static void requireCoPartitioned(final StreamsSettings settings, final Map<String, Integer> partitions) {
        final Set<Integer> counts = new TreeSet<>();
        final StringBuilder found = new StringBuilder();
        for (final String topic : settings.topics().inputs()) {
            final int count = partitions.getOrDefault(topic, -1);
            counts.add(count);
            found.append(found.length() == 0 ? "" : ", ").append(topic).append(": ").append(count);
        }
        if (counts.size() != 1) {
            throw new IllegalStateException("the input topics must have the same number of partitions (" + found
                    + "); give them the same count, or run with --repartition");
        }
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** The failure that stopped the client, or null. */
    public Throwable failure() {
        return failure.get();
    }

    /** The underlying client, for metrics and queries. */
    public KafkaStreams kafkaStreams() {
        return streams;
    }

    /**
     * Closes Kafka Streams, committing what was processed, and leaves the consumer group, so the other instances
     * take over this one's tasks at once instead of after the session timeout (Kafka Streams' plain close stays in
     * the group).
     */
    @Override
    public void close() {
        LOG.info("closing kafka streams");
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(CLOSE_TIMEOUT));
        progress.close();
    }
}
