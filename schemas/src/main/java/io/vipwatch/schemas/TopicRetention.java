package io.vipwatch.schemas;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;

/**
 * What a topic keeps, as the broker says (Admin {@code describeConfigs}): whether it deletes records by age and
 * after how long. A record's time is its event time, so a topic that deletes by age drops a replayed recording's
 * old events within minutes, before the topology has read them.
 */
public record TopicRetention(String topic, String cleanupPolicy, long retentionMs, long retentionBytes) {

    /** True when the broker deletes this topic's records once they are older than {@link #retentionMs()}. */
    public boolean deletesByAge() {
        return cleanupPolicy.contains(TopicConfig.CLEANUP_POLICY_DELETE) && retentionMs >= 0;
    }

    /** True when a record of time {@code eventTime} would be deleted within {@code margin} of {@code now}. */
    public boolean expires(final long eventTime, final long now, final Duration margin) {
        return deletesByAge() && eventTime + retentionMs < now + margin.toMillis();
    }

    /** e.g. {@code 7d (retention.ms=604800000)}. */
    public String describeRetention() {
        final Duration keep = Duration.ofMillis(retentionMs);
        final String human = keep.toDays() > 0 && keep.toHours() % 24 == 0 ? keep.toDays() + "d"
                : keep.toHours() > 0 && keep.toMinutes() % 60 == 0 ? keep.toHours() + "h" : keep.toMinutes() + "m";
        return human + " (" + TopicConfig.RETENTION_MS_CONFIG + "=" + retentionMs + ")";
    }

    /**
     * The retention of each topic, in the order given.
     *
     * @throws ExecutionException as the admin client reports it: an unknown topic, a denied DescribeConfigs
     */
    public static Map<String, TopicRetention> describe(final Admin admin, final Collection<String> topics,
            final Duration timeout) throws ExecutionException, InterruptedException, TimeoutException {
        final Map<ConfigResource, Config> configs = admin.describeConfigs(topics.stream()
                .map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic)).toList())
                .all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        final Map<String, TopicRetention> out = new LinkedHashMap<>();
        for (final String topic : topics) {
            final Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topic));
            out.put(topic, new TopicRetention(topic, value(config, TopicConfig.CLEANUP_POLICY_CONFIG, "delete"),
                    Long.parseLong(value(config, TopicConfig.RETENTION_MS_CONFIG, "604800000")),
                    Long.parseLong(value(config, TopicConfig.RETENTION_BYTES_CONFIG, "-1"))));
        }
        return out;
    }

    private static String value(final Config config, final String name, final String fallback) {
        final ConfigEntry entry = config == null ? null : config.get(name);
        return entry == null || entry.value() == null ? fallback : entry.value();
    }
}
