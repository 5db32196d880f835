package io.vipwatch.store;

import java.time.Instant;
import java.util.List;

/** The answers of {@link HistoryQueries}: plain records, serialised as they are by the HTTP API. */
public final class History {

    private History() {
    }

    /**
     * Who answered for a VIP at a time: the {@code after} set of the last ownership change at or before it.
     *
     * @param known   false when nothing is recorded for the VIP at or before {@code at}
     * @param since   time of that change (null when unknown)
     * @param nodes   the nodes answering ARP/NDP, sorted (empty: nobody answered)
     * @param service namespace/name of the Service claiming the VIP, if any
     */
    public record Ownership(String cluster, String ip, Instant at, boolean known, Instant since, List<String> nodes,
            String service, String changeEventId, String causeType, String causeKey) {
    }

    /** One ownership change of a VIP. */
    public record Change(Instant at, List<String> beforeNodes, List<String> afterNodes, String service, String eventId,
            String causeType, String causeKey, String causeSource) {
    }

    /** One alert episode: open to resolve ({@code resolvedAt} null while open). */
    public record AlertEpisode(String episode, String fingerprint, String cluster, String vip, String kind,
            String severity, String service, List<String> nodes, Instant openedAt, Instant resolvedAt,
            String lastState, Instant lastAt, String hint, int transitions) {
    }

    /** When a node answered for the VIP: one lane of the timeline picture. */
    public record Lane(String node, List<Span> spans) {
    }

    /** A time span; {@code to} is the end of the asked range when it still went on then. */
    public record Span(Instant from, Instant to) {
    }

    /**
     * A VIP over a range: who answered at its start, every change inside it, the lanes those make, and
     * the alert and flap episodes that overlap it.
     */
    public record Timeline(String cluster, String ip, Instant from, Instant to, List<String> nodesAtStart,
            List<Change> changes, boolean changesTruncated, List<Lane> lanes, List<AlertEpisode> alerts,
            List<AlertEpisode> flaps) {
    }

    /** How often a VIP's responder set changed in a range, and its FLAPPING episodes there. */
    public record FlapCount(String cluster, String ip, long changes, long flapEpisodes, Instant firstChange,
            Instant lastChange) {
    }

    /** Alert episodes opened in a range, with time-to-resolve percentiles of the resolved ones. */
    public record Episodes(Instant from, Instant to, long total, long resolved, Double resolveSecondsP50,
            Double resolveSecondsP95, List<AlertEpisode> episodes, boolean episodesTruncated) {
    }

    /** The latest heartbeat of a collector or node agent. */
    public record Heartbeat(String source, String node, Instant at, long intervalMs) {
    }

    /**
     * One cluster in the fleet summary. {@code heartbeats} lists the collectors (sources without a
     * node); node agents are summed up in {@code agents} and {@code oldestAgentHeartbeat} (all sources
     * are listed when the summary is asked for one cluster).
     */
    public record ClusterSummary(String cluster, Instant lastSeen, int openCritical, int openWarning,
            int flappingVips, int vips, int agents, Instant oldestAgentHeartbeat, List<Heartbeat> heartbeats) {
    }

    /** A VIP's latest state. */
    public record Vip(String cluster, String ip, Instant updatedAt, List<String> responders,
            List<String> openConditions, double flapPenalty) {
    }

    /** When a VIP last moved: the span of its latest changes (times null when it never did). */
    public record Activity(Instant firstChange, Instant lastChange, int changes) {
    }
}
