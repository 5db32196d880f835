package io.vipwatch.store.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code vipwatch_heartbeat_age_seconds{cluster,source}}: seconds since the newest heartbeat the sink stored for each
 * source (a collector or a node agent), by the wall clock; what an SRE graphs next to {@code COLLECTOR_SILENT}.
 * Cardinality is bounded: the first {@link #MAX_SOURCES} sources get a series, later ones are logged once and not
 * exported (a fleet that large should alert on {@code COLLECTOR_SILENT} and read {@code last_heartbeats}).
 */
final class HeartbeatAges {

    /** Most sources exported (series of the gauge). */
    static final int MAX_SOURCES = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(HeartbeatAges.class);

    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<String, AtomicLong> newest = new ConcurrentHashMap<>();
    private volatile boolean warned;

    HeartbeatAges(final MeterRegistry registry, final Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    /** Notes a stored heartbeat of {@code source} in {@code cluster} stamped {@code at}. */
    void heard(final String cluster, final String source, final Instant at) {
        final String key = cluster + "/" + source;
        AtomicLong millis = newest.get(key);
        if (millis == null) {
            if (newest.size() >= MAX_SOURCES) {
                if (!warned) {
                    warned = true;
                    LOG.warn("more than {} heartbeat sources: vipwatch_heartbeat_age_seconds leaves out the others",
                            MAX_SOURCES);
                }
                return;
            }
            millis = newest.computeIfAbsent(key, k -> {
                final AtomicLong created = new AtomicLong(at.toEpochMilli());
                Gauge.builder("vipwatch_heartbeat_age_seconds", created, m -> (clock.millis() - m.get()) / 1000.0)
                        .description("Seconds since the newest heartbeat stored for each source (wall clock)")
                        .tags("cluster", cluster, "source", source).baseUnit("seconds").register(registry);
                return created;
            });
        }
        millis.accumulateAndGet(at.toEpochMilli(), Math::max);
    }
}
