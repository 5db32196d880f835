package io.vipwatch.streams;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

    private VipwatchStreams(final KafkaStreams streams, final AtomicReference<Throwable> failure) {
        this.streams = streams;
        this.failure = failure;
    }

    /**
     * Builds the topology, starts it and waits until it is RUNNING.
     *
     * @throws IllegalStateException naming the state reached and the cause when it does not get there in
     *                               {@link StreamsSettings#startTimeout()}
     */
    public static VipwatchStreams start(final StreamsSettings settings) {
        if (settings.createTopicsPartitions() > 0) {
            try (Admin admin = Admin.create(settings.clientProperties())) {
                settings.topics().ensureCreated(admin, settings.createTopicsPartitions(),
                        (short) (settings.replicationFactor() > 0 ? settings.replicationFactor() : 1));
            }
        }
        final KafkaStreams streams = new KafkaStreams(VipOwnershipTopology.build(settings),
                VipOwnershipTopology.streamsConfig(settings));
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
            final Throwable cause = failure.get();
            throw new IllegalStateException("kafka streams " + settings.applicationId() + " did not reach RUNNING"
                    + (reached ? "" : " within " + settings.startTimeout().toSeconds() + " s") + " (state " + state
                    + ")" + (cause == null ? "" : ": " + cause), cause);
        }
        return new VipwatchStreams(streams, failure);
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

    @Override
    public void close() {
        LOG.info("closing kafka streams");
        streams.close(CLOSE_TIMEOUT);
    }
}
