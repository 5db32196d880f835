package io.vipwatch.store.internal;

import java.time.Instant;
import java.util.List;

/** The rows the sink writes, one record per table; decoded from the topics by {@link RecordDecoder}. */
public final class Rows {

    private Rows() {
    }

    /** A row of {@code ownership_changes}. */
    public record OwnershipChangeRow(
            Instant at,
            String cluster,
            String ip,
            String eventId,
            List<String> beforeNodes,
            List<String> afterNodes,
            String service,
            String causeType,
            String causeKey,
            String causeEventId,
            String causeSource,
            Instant causeObservedAt) {
    }

    /** A row of {@code alert_transitions}; {@code evidence} is a JSON array. */
    public record AlertRow(
            Instant at,
            String eventId,
            String fingerprint,
            String episode,
            String state,
            String kind,
            String severity,
            String cluster,
            String vip,
            String service,
            List<String> nodes,
            Instant openedAt,
            String hint,
            String evidence) {

        public boolean resolves() {
            return "RESOLVED".equals(state);
        }
    }

    /** A row of {@code vip_states}; claims, announcements and bindings are JSON arrays. */
    public record VipStateRow(
            String cluster,
            String ip,
            Instant updatedAt,
            List<String> responders,
            List<String> openConditions,
            double flapPenalty,
            String claims,
            String announcements,
            String bindings) {
    }

    /** A tombstone of the compacted vip-state topic: the VIP is gone. */
    public record VipStateDeletion(String cluster, String ip) {
    }

    /** A row of {@code last_heartbeats}. */
    public record HeartbeatRow(String cluster, String source, String node, Instant at, long intervalMs) {
    }

    /** A row of {@code input_events} (only with --raw); {@code recording} is the event's recording line. */
    public record InputEventRow(
            Instant observedAt,
            String topic,
            int partition,
            long kafkaOffset,
            String type,
            String cluster,
            String recordKey,
            String eventId,
            String source,
            String recording) {
    }

    /** A record the sink could not store: to the dead-letter topic and table. */
    public record DeadLetter(
            String topic,
            int partition,
            long kafkaOffset,
            String recordKey,
            byte[] value,
            String reason,
            String detail) {
    }

    /** A cluster seen in a batch, with the earliest and latest event time seen for it. */
    public record ClusterSeen(String cluster, Instant firstSeen, Instant lastSeen) {
    }

    /** The offsets a batch covers in one partition: first stored record and the next offset to read. */
    public record OffsetRange(String topic, int partition, long firstOffset, long nextOffset) {
    }
}
