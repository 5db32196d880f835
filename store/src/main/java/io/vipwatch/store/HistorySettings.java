package io.vipwatch.store;

import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Consumer;

import javax.sql.DataSource;

import io.vipwatch.schemas.Topics;

/**
 * How a {@link HistoryWriter} runs.
 *
 * @param clientProperties    Kafka client properties: bootstrap servers and any TLS/SASL settings
 * @param topics              the topic names (with the deployment's prefix)
 * @param groupId             consumer group; also the key of the stored offsets (default {@value #DEFAULT_GROUP_ID})
 * @param dataSource          PostgreSQL, as a role that may write the history (see docs/history.md)
 * @param raw                 also store every input event (the full audit trail), not only the streams' output
 * @param pollTimeout         longest wait of one poll (default 500 ms)
 * @param maxPollRecords      most records in one batch, and so in one transaction (default 5000)
 * @param retention           drop whole monthly partitions older than this; {@link Duration#ZERO} keeps all (default)
 * @param retryBackoffMin     first wait after a failed write to PostgreSQL (default 200 ms)
 * @param retryBackoffMax     longest wait between retries; the wait doubles up to it (default 10 s)
 * @param maintenanceInterval how often partitions are created ahead and retention runs (default 1 h)
 */
public record HistorySettings(
        Properties clientProperties,
        Topics topics,
        String groupId,
        DataSource dataSource,
        boolean raw,
        Duration pollTimeout,
        int maxPollRecords,
        Duration retention,
        Duration retryBackoffMin,
        Duration retryBackoffMax,
        Duration maintenanceInterval) {

    public static final String DEFAULT_GROUP_ID = "vipwatch-store";

    public HistorySettings {
        Objects.requireNonNull(clientProperties, "clientProperties");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(dataSource, "dataSource");
        if (groupId == null || groupId.isBlank()) {
            throw new IllegalArgumentException("groupId must not be empty");
        }
        requirePositive("pollTimeout", pollTimeout);
        requirePositive("retryBackoffMin", retryBackoffMin);
        requirePositive("retryBackoffMax", retryBackoffMax);
        requirePositive("maintenanceInterval", maintenanceInterval);
        if (retention == null || retention.isNegative()) {
            throw new IllegalArgumentException("retention must be zero (keep all) or positive, got " + retention);
        }
        if (maxPollRecords < 1) {
            throw new IllegalArgumentException("maxPollRecords must be at least 1, got " + maxPollRecords);
        }
        if (retryBackoffMax.compareTo(retryBackoffMin) < 0) {
            throw new IllegalArgumentException("retryBackoffMax " + retryBackoffMax + " is below retryBackoffMin "
                    + retryBackoffMin);
        }
        final Properties copy = new Properties();
        copy.putAll(clientProperties);
        clientProperties = copy;
    }

    /** The defaults for everything but the Kafka connection, the topics and the database. */
    public static HistorySettings of(final Properties clientProperties, final Topics topics, final DataSource dataSource) {
        return new HistorySettings(clientProperties, topics, topics.prefix() + DEFAULT_GROUP_ID, dataSource, false,
                Duration.ofMillis(500), 5000, Duration.ZERO, Duration.ofMillis(200), Duration.ofSeconds(10),
                Duration.ofHours(1));
    }

    public HistorySettings withGroupId(final String value) {
        return with(copy -> copy.groupId = value);
    }

    public HistorySettings withRaw(final boolean value) {
        return with(copy -> copy.raw = value);
    }

    public HistorySettings withPoll(final Duration timeout, final int maxRecords) {
        return with(copy -> {
            copy.pollTimeout = timeout;
            copy.maxPollRecords = maxRecords;
        });
    }

    public HistorySettings withRetention(final Duration value) {
        return with(copy -> copy.retention = value);
    }

    public HistorySettings withRetryBackoff(final Duration min, final Duration max) {
        return with(copy -> {
            copy.retryBackoffMin = min;
            copy.retryBackoffMax = max;
        });
    }

    public HistorySettings withMaintenanceInterval(final Duration value) {
        return with(copy -> copy.maintenanceInterval = value);
    }

    /** This record with {@code change} applied to a copy of its components, validated again by the constructor. */
    private HistorySettings with(final Consumer<Copy> change) {
        final Copy copy = new Copy(this);
        change.accept(copy);
        return copy.build();
    }

    /** The components a {@code with*} method may change, as mutable fields; connections stay the original's. */
    private static final class Copy {
        private final HistorySettings from;
        private String groupId;
        private boolean raw;
        private Duration pollTimeout;
        private int maxPollRecords;
        private Duration retention;
        private Duration retryBackoffMin;
        private Duration retryBackoffMax;
        private Duration maintenanceInterval;

        Copy(final HistorySettings from) {
            this.from = from;
            groupId = from.groupId;
            raw = from.raw;
            pollTimeout = from.pollTimeout;
            maxPollRecords = from.maxPollRecords;
            retention = from.retention;
            retryBackoffMin = from.retryBackoffMin;
            retryBackoffMax = from.retryBackoffMax;
            maintenanceInterval = from.maintenanceInterval;
        }

        HistorySettings build() {
            return new HistorySettings(from.clientProperties, from.topics, groupId, from.dataSource, raw, pollTimeout,
                    maxPollRecords, retention, retryBackoffMin, retryBackoffMax, maintenanceInterval);
        }
    }

    private static void requirePositive(final String name, final Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }
}
