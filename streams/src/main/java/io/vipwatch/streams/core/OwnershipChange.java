package io.vipwatch.streams.core;

import java.util.List;

/**
 * The set of nodes answering for a VIP changed (the net change of one millisecond of event time).
 *
 * @param eventId deterministic: derived from the VIP, the time and the causing event
 * @param service namespace/name of the claiming Service, if any
 * @param cause   the input event that caused it
 */
public record OwnershipChange(
        String eventId,
        String cluster,
        String ip,
        long at,
        List<String> before,
        List<String> after,
        String service,
        Cause cause) {

    /** The input event behind a change: its recording type, Kafka key, id, source and time. */
    public record Cause(String type, String key, String eventId, String source, long observedAt) {
    }
}
