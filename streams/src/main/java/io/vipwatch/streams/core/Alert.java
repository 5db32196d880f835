package io.vipwatch.streams.core;

import java.util.List;

import io.vipwatch.streams.core.vocabulary.AlertKind;
import io.vipwatch.streams.core.vocabulary.AlertState;
import io.vipwatch.streams.core.vocabulary.Severity;

/**
 * One alert transition decided by the core: OPENED once per episode, UPDATED when the nodes, the
 * Service or the hint change, RESOLVED once. {@code at} is the event time of the decision (a condition's
 * start + grace, not the time of the event that happened to reveal it).
 *
 * @param eventId     deterministic: episode, sequence within the episode and state, so duplicates are detectable
 * @param vip         null for COLLECTOR_SILENT
 * @param service     namespace/name, or null
 * @param nodes       sorted node names involved
 * @param fingerprint stable for (cluster, vip, kind); for COLLECTOR_SILENT (cluster, source, kind)
 * @param episode     fingerprint + "-" + openedAt
 */
public record Alert(
        String eventId,
        AlertState state,
        AlertKind kind,
        Severity severity,
        String cluster,
        String vip,
        String service,
        List<String> nodes,
        long at,
        long openedAt,
        String fingerprint,
        String episode,
        String hint,
        List<Evidence> evidence) {

    /** What the decision rests on: a claim, an announcement, a binding, node facts, a heartbeat, the penalty. */
    public record Evidence(String kind, String node, String detail, long observedAt, String eventId) {
    }

    public Alert {
        nodes = List.copyOf(nodes);
        evidence = List.copyOf(evidence);
    }
}
