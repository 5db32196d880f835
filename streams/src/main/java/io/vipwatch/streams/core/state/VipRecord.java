package io.vipwatch.streams.core.state;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

import io.vipwatch.streams.core.vocabulary.AlertKind;
import io.vipwatch.streams.core.vocabulary.Announcer;

/**
 * One VIP of one cluster: who claims it, who announces it, where it is bound, who answers for it, the
 * lifecycle of each condition and the flap damping state. A VIP exists only once a Service claimed it or
 * a speaker announced it: a node's own addresses are never VIPs.
 */
public final class VipRecord {

    public final String ip;
    /** The last Service that claimed it, for ORPHANED after the claim is gone. */
    public String lastService;
    // lists start without an array and grow one element at a time: a VIP has one claim and one announcement
    /** Claims, sorted by service. */
    public final List<Claim> claims = new ArrayList<>(0);
    /** Announcements, sorted by (node, service, announcer). */
    public final List<Announcement> announcements = new ArrayList<>(0);
    /** Bindings, sorted by node. */
    public final List<Binding> bindings = new ArrayList<>(0);
    /** Responders as last evaluated, sorted. */
    public List<String> responders = List.of();
    /** When it was last evaluated with a change; -1 while it was created at the current millisecond and not yet evaluated. */
    public long updatedAt;

    /** Condition lifecycles by kind (COLLECTOR_SILENT unused); absent = idle; null while there is none. */
    private EnumMap<AlertKind, Condition> conditions;

    // flap damping
    /** Penalty as of {@link #penaltyAt}. */
    public double penalty;
    public long penaltyAt;
    /** Responders before the first change of the open merge group; null when no group is open. */
    public List<String> groupStart;
    /** Time of the last change of the open merge group. */
    public long groupLast = -1;
    /** Nodes that took part in the flaps of the current build-up, sorted; null while there are none. */
    private TreeSet<String> flapNodes;

    /** Each prober's latest fresh wire observation, sorted by prober node; empty without probers. */
    public List<WireProbe> probes = List.of();

    /** The pending wake-up, or -1. */
    public long wakeAt = -1;

    /** The input event behind changes at the current millisecond (the greatest, for determinism), or null. */
    public String causeType;
    public String causeKey;
    public String causeEventId;
    public String causeSource;
    public long causeAt;

    /** A Service claiming the IP and what its controller signs say. */
    public record Claim(String service, boolean metallb, boolean kubeVip, boolean kubeVipMarker, String vipHost,
            String pool, long since, String eventId) {

        public Claim {
            vipHost = Names.intern(vipHost);
            pool = Names.intern(pool);
        }
    }

    /** A speaker announcing the IP from a node for a Service. */
    public record Announcement(String node, Announcer announcer, String service, long since, String eventId) {

        public Announcement {
            node = Names.intern(node);
        }
    }

    /** The IP on a node's interface. */
    public record Binding(String node, String iface, int prefixLength, long since, String eventId) {

        public Binding {
            node = Names.intern(node);
            iface = Names.intern(iface);
        }
    }

    public VipRecord(final String ip) {
        this.ip = ip;
    }

    /** The lifecycle of this kind of condition, or null while it is idle. */
    public Condition condition(final AlertKind kind) {
        return conditions == null ? null : conditions.get(kind);
    }

    /** The lifecycle of this kind of condition, created idle if there is none. */
    public Condition conditionOrNew(final AlertKind kind) {
        if (conditions == null) {
            conditions = new EnumMap<>(AlertKind.class);
        }
        return conditions.computeIfAbsent(kind, k -> new Condition());
    }

    /** Forgets this kind of condition (it is idle). */
    public void removeCondition(final AlertKind kind) {
        if (conditions != null) {
            conditions.remove(kind);
            if (conditions.isEmpty()) {
                conditions = null;
            }
        }
    }

    /** Every non-idle condition by kind, in the kinds' order (read only). */
    public Map<AlertKind, Condition> conditions() {
        return conditions == null ? Map.of() : Collections.unmodifiableMap(conditions);
    }

    /** The nodes of the current flap build-up, sorted (read only). */
    public SortedSet<String> flapNodes() {
        return flapNodes == null ? Collections.emptySortedSet() : Collections.unmodifiableSortedSet(flapNodes);
    }

    /** Adds nodes to the current flap build-up. */
    public void addFlapNodes(final Collection<String> nodes) {
        if (nodes.isEmpty()) {
            return;
        }
        if (flapNodes == null) {
            flapNodes = new TreeSet<>();
        }
        for (final String node : nodes) {
            flapNodes.add(Names.intern(node));
        }
    }

    /** Ends the flap build-up. */
    public void clearFlapNodes() {
        flapNodes = null;
    }

    public Binding binding(final String node) {
        for (final Binding b : bindings) {
            if (b.node().equals(node)) {
                return b;
            }
        }
        return null;
    }

    /** Nothing claims, announces or binds it. */
    public boolean empty() {
        return claims.isEmpty() && announcements.isEmpty() && bindings.isEmpty();
    }
}
