package io.vipwatch.collector.publish;

import java.time.Clock;
import java.util.UUID;

import io.vipwatch.schemas.event.Heartbeat;

/**
 * Who observes and when: the cluster id, the source id ({@code collector/<cluster>} or
 * {@code node-agent/<cluster>/<node>}) and the clock that stamps {@code observedAt}.
 */
public record Provenance(String cluster, String source, Clock clock) {

    public Provenance {
        if (cluster == null || cluster.isBlank()) {
            throw new IllegalArgumentException("cluster must not be empty");
        }
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("source must not be empty");
        }
    }

    public static Provenance collector(final String cluster, final Clock clock) {
        return new Provenance(cluster, "collector/" + cluster, clock);
    }

    public static Provenance nodeAgent(final String cluster, final String node, final Clock clock) {
        return new Provenance(cluster, "node-agent/" + cluster + "/" + node, clock);
    }

    public long now() {
        return clock.millis();
    }

    public String newEventId() {
        return UUID.randomUUID().toString();
    }

    /** A heartbeat observed now; {@code node} is set for a node agent. */
    public Heartbeat heartbeat(final String node, final long intervalMs) {
        return new Heartbeat(cluster, now(), source, newEventId(), node, intervalMs);
    }
}
