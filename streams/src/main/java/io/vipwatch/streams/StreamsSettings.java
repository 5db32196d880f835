package io.vipwatch.streams;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.function.Consumer;

import io.vipwatch.schemas.Topics;
import io.vipwatch.schemas.cli.KafkaOptions;
import io.vipwatch.schemas.policy.InputPolicy;
import io.vipwatch.streams.core.DetectionSettings;

/**
 * Everything the streams role needs (one record per role).
 *
 * @param clientProperties     Kafka client properties: bootstrap servers plus TLS/SASL ({@link KafkaOptions#clientProperties()})
 * @param topics               topic names (with the tenant's prefix)
 * @param applicationId        Kafka Streams application id: consumer group, prefix of internal topics (default the topic
 *                             prefix + {@code vipwatch-streams}, so tenants sharing a broker never join each other's group)
 * @param stateDir             where the local state stores live (default {@code ${java.io.tmpdir}/vipwatch-streams})
 * @param detection            the detection tunables
 * @param punctuationInterval  how often the wall-clock punctuator runs (default 100 ms)
 * @param wallClockAdvance     whether quiet clusters' clocks follow the wall clock (default true; off for
 *                             tests that must equal {@code vipwatch analyze})
 * @param threads              stream threads (default 1)
 * @param standbyReplicas      standby replicas of each store (default 0)
 * @param replicationFactor    replication of internal topics, -1 for the broker default (default -1)
 * @param startTimeout         how long {@link VipwatchStreams#start} waits for RUNNING (default 60 s)
 * @param createTopicsPartitions create missing vipwatch topics with this many partitions before starting; 0 = don't (default 0)
 * @param wallClockWindow      the wall clock moves only clusters whose clock is within this of it; a cluster further
 *                             off is history being replayed and follows its own events only (default 24 h)
 * @param repartition          re-key every input by cluster through a repartition topic, for producers that do not
 *                             partition by cluster (default false: the inputs are co-partitioned by cluster, as every
 *                             vipwatch publisher writes them, and are read directly)
 * @param maxClockSkew         the clock policy: an input event dated more than this ahead of the wall clock is
 *                             dead-lettered ({@code futureTime}), so no event moves its cluster's clock
 *                             further into the future (default 5 min, docs/security.md)
 */
public record StreamsSettings(
        Properties clientProperties,
        Topics topics,
        String applicationId,
        Path stateDir,
        DetectionSettings detection,
        Duration punctuationInterval,
        boolean wallClockAdvance,
        int threads,
        int standbyReplicas,
        int replicationFactor,
        Duration startTimeout,
        int createTopicsPartitions,
        Duration wallClockWindow,
        boolean repartition,
        Duration maxClockSkew) {

    public static final String DEFAULT_APPLICATION_ID = "vipwatch-streams";
    public static final Duration DEFAULT_PUNCTUATION_INTERVAL = Duration.ofMillis(100);
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_WALL_CLOCK_WINDOW = Duration.ofHours(24);

    /** @throws IllegalArgumentException naming the setting that is missing or out of range */
    public StreamsSettings {
        if (clientProperties == null || !clientProperties.containsKey("bootstrap.servers")) {
            throw new IllegalArgumentException("bootstrap-servers: no Kafka broker given");
        }
        if (topics == null) {
            throw new IllegalArgumentException("topics: missing");
        }
        if (applicationId == null || applicationId.isBlank()) {
            throw new IllegalArgumentException("application-id: must not be empty");
        }
        if (stateDir == null) {
            throw new IllegalArgumentException("state-dir: missing");
        }
        if (detection == null) {
            throw new IllegalArgumentException("detection: missing");
        }
        if (punctuationInterval == null || punctuationInterval.toMillis() < 1) {
            throw new IllegalArgumentException("punctuation-interval: must be at least 1 ms, got " + punctuationInterval);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads: must be at least 1, got " + threads);
        }
        if (standbyReplicas < 0) {
            throw new IllegalArgumentException("standby-replicas: must be 0 or more, got " + standbyReplicas);
        }
        if (replicationFactor == 0 || replicationFactor < -1) {
            throw new IllegalArgumentException("replication-factor: must be -1 (broker default) or positive, got "
                    + replicationFactor);
        }
        if (startTimeout == null || startTimeout.isNegative()) {
            throw new IllegalArgumentException("start-timeout: must be zero or positive, got " + startTimeout);
        }
        if (wallClockWindow == null || wallClockWindow.isNegative()) {
            throw new IllegalArgumentException("wall-clock-window: must be zero or positive, got " + wallClockWindow);
        }
        if (maxClockSkew == null || maxClockSkew.isNegative()) {
            throw new IllegalArgumentException("max-clock-skew: must be zero or positive, got " + maxClockSkew);
        }
        if (createTopicsPartitions < 0) {
            throw new IllegalArgumentException("create-topics: must be 0 or more partitions, got " + createTopicsPartitions);
        }
    }

    /** The defaults around the given connection. */
    public static StreamsSettings of(final Properties clientProperties, final Topics topics) {
        // the tenant's prefix isolates the application id (consumer group, internal topics) as it does the topics
        return new StreamsSettings(clientProperties, topics, topics.prefix() + DEFAULT_APPLICATION_ID,
                Path.of(System.getProperty("java.io.tmpdir"), "vipwatch-streams"), DetectionSettings.defaults(),
                DEFAULT_PUNCTUATION_INTERVAL, true, 1, 0, -1, DEFAULT_START_TIMEOUT, 0,
                DEFAULT_WALL_CLOCK_WINDOW, false, InputPolicy.DEFAULT_MAX_CLOCK_SKEW);
    }

    public static StreamsSettings of(final KafkaOptions kafka) {
        return of(kafka.clientProperties(), kafka.topics());
    }

    public StreamsSettings withApplicationId(final String value) {
        return with(copy -> copy.applicationId = value);
    }

    public StreamsSettings withStateDir(final Path value) {
        return with(copy -> copy.stateDir = value);
    }

    public StreamsSettings withDetection(final DetectionSettings value) {
        return with(copy -> copy.detection = value);
    }

    public StreamsSettings withPunctuation(final Duration interval, final boolean advance) {
        return with(copy -> {
            copy.punctuationInterval = interval;
            copy.wallClockAdvance = advance;
        });
    }

    public StreamsSettings withThreads(final int value) {
        return with(copy -> copy.threads = value);
    }

    public StreamsSettings withStandbyReplicas(final int value) {
        return with(copy -> copy.standbyReplicas = value);
    }

    public StreamsSettings withReplicationFactor(final int value) {
        return with(copy -> copy.replicationFactor = value);
    }

    public StreamsSettings withStartTimeout(final Duration value) {
        return with(copy -> copy.startTimeout = value);
    }

    public StreamsSettings withCreateTopics(final int partitions) {
        return with(copy -> copy.createTopicsPartitions = partitions);
    }

    public StreamsSettings withRepartition(final boolean value) {
        return with(copy -> copy.repartition = value);
    }

    public StreamsSettings withWallClockWindow(final Duration value) {
        return with(copy -> copy.wallClockWindow = value);
    }

    public StreamsSettings withMaxClockSkew(final Duration value) {
        return with(copy -> copy.maxClockSkew = value);
    }

    /** This record with {@code change} applied to a copy of its components, validated again by the constructor. */
    private StreamsSettings with(final Consumer<Copy> change) {
        final Copy copy = new Copy(this);
        change.accept(copy);
        return copy.build();
    }

    /** The components a {@code with*} method may change, as mutable fields; the connection stays the original's. */
    private static final class Copy {
        private final StreamsSettings from;
        private String applicationId;
        private Path stateDir;
        private DetectionSettings detection;
        private Duration punctuationInterval;
        private boolean wallClockAdvance;
        private int threads;
        private int standbyReplicas;
        private int replicationFactor;
        private Duration startTimeout;
        private int createTopicsPartitions;
        private Duration wallClockWindow;
        private boolean repartition;
        private Duration maxClockSkew;

        Copy(final StreamsSettings from) {
            this.from = from;
            applicationId = from.applicationId;
            stateDir = from.stateDir;
            detection = from.detection;
            punctuationInterval = from.punctuationInterval;
            wallClockAdvance = from.wallClockAdvance;
            threads = from.threads;
            standbyReplicas = from.standbyReplicas;
            replicationFactor = from.replicationFactor;
            startTimeout = from.startTimeout;
            createTopicsPartitions = from.createTopicsPartitions;
            wallClockWindow = from.wallClockWindow;
            repartition = from.repartition;
            maxClockSkew = from.maxClockSkew;
        }

        StreamsSettings build() {
            return new StreamsSettings(from.clientProperties, from.topics, applicationId, stateDir, detection,
                    punctuationInterval, wallClockAdvance, threads, standbyReplicas, replicationFactor, startTimeout,
                    createTopicsPartitions, wallClockWindow, repartition, maxClockSkew);
        }
    }
}
