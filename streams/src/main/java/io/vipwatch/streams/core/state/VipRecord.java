package io.vipwatch.streams.core.state;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
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

    /** Announcements in their order: node, service, announcer. */
    private static final Comparator<Announcement> ANNOUNCEMENT_ORDER = Comparator.comparing(Announcement::node)
            .thenComparing(Announcement::service)
            .thenComparing(Announcement::announcer);

    private final String ip;
    /** The last Service that claimed it, for ORPHANED after the claim is gone. */
    private String lastService;
    // lists start without an array and grow one element at a time: a VIP has one claim and one announcement
    /** Claims, sorted by service. */
    private final List<Claim> claims = new ArrayList<>(0);
    /** Announcements, sorted by (node, service, announcer). */
    private final List<Announcement> announcements = new ArrayList<>(0);
    /** Bindings, sorted by node. */
    private final List<Binding> bindings = new ArrayList<>(0);
    /** Responders as last evaluated, sorted. */
    private List<String> responders = List.of();
    /** When it was last evaluated with a change; -1 while it was created at the current millisecond and not yet evaluated. */
    private long updatedAt;

    /** Condition lifecycles by kind (COLLECTOR_SILENT unused); absent = idle; null while there is none. */
    private EnumMap<AlertKind, Condition> conditions;

    // flap damping
    /** Penalty as of {@link #penaltyAt}. */
    private double penalty;
    private long penaltyAt;
    /** Responders before the first change of the open merge group; null when no group is open. */
    private List<String> groupStart;
    /** Time of the last change of the open merge group. */
    private long groupLast = -1;
    /** Nodes that took part in the flaps of the current build-up, sorted; null while there are none. */
    private TreeSet<String> flapNodes;

    /** Each prober's latest fresh wire observation, sorted by prober node; empty without probers. */
    private List<WireProbe> probes = List.of();

    /** The pending wake-up, or -1. */
    private long wakeAt = -1;

    /** The input event behind changes at the current millisecond (the greatest, for determinism), or null. */
    private String causeType;
    private String causeKey;
    private String causeEventId;
    private String causeSource;
    private long causeAt;

    /** What a list of a VIP is sorted and kept unique by (claims: the service; bindings: the node). */
    private interface Keyed {
        String key();
    }

    /** A Service claiming the IP and what its controller signs say. */
    public record Claim(String service, boolean metallb, boolean kubeVip, boolean kubeVipMarker, String vipHost,
            String pool, long since, String eventId) implements Keyed {

        public Claim {
            vipHost = Names.intern(vipHost);
            pool = Names.intern(pool);
        }

        /** The service: a VIP has one claim per service. */
        @Override
        public String key() {
            return service;
        }
    }

    /** A speaker announcing the IP from a node for a Service. */
    public record Announcement(String node, Announcer announcer, String service, long since, String eventId) {

        public Announcement {
            node = Names.intern(node);
        }
    }

    /** The IP on a node's interface. */
    public record Binding(String node, String iface, int prefixLength, long since, String eventId) implements Keyed {

        public Binding {
            node = Names.intern(node);
            iface = Names.intern(iface);
        }

        /** The node: a VIP has one binding per node. */
        @Override
        public String key() {
            return node;
        }
    }

    public VipRecord(final String ip) {
        this.ip = ip;
    }

    public String ip() {
        return ip;
    }

    /** The last Service that claimed it, for ORPHANED after the claim is gone; null before any. */
    public String lastService() {
        return lastService;
    }

    public void setLastService(final String service) {
        this.lastService = service;
    }

    /** Claims, sorted by service (read only: {@link #putClaim}, {@link #removeClaim}). */
    public List<Claim> claims() {
        return claims;
    }

    /**
     * Announcements, sorted by (node, service, announcer) (read only: {@link #addAnnouncement},
     * {@link #removeAnnouncement}).
     */
    public List<Announcement> announcements() {
        return announcements;
    }

    /** Bindings, sorted by node (read only: {@link #putBinding}, {@link #removeBinding}). */
    public List<Binding> bindings() {
        return bindings;
    }

    /** Adds the claim of its service, or replaces the one there is. */
    public void putClaim(final Claim claim) {
        put(claims, claim);
    }

    /** Replaces the claim at {@code index} of {@link #claims()} by one of the same service. */
    public void replaceClaim(final int index, final Claim claim) {
        claims.set(index, claim);
    }

    /** Removes the claim of this service, if any. */
    public void removeClaim(final String service) {
        remove(claims, service);
    }

    /** Adds the binding on its node, or replaces the one there is. */
    public void putBinding(final Binding binding) {
        put(bindings, binding);
    }

    /** Removes the binding on this node; returns whether there was one. */
    public boolean removeBinding(final String node) {
        return remove(bindings, node);
    }

    /** Adds an announcement unless the same node already announces it for the same service with the same announcer. */
    public void addAnnouncement(final Announcement a) {
        for (final Announcement existing : announcements) {
            if (existing.node().equals(a.node()) && existing.service().equals(a.service())
                    && existing.announcer() == a.announcer()) {
                return;
            }
        }
        announcements.add(a);
        announcements.sort(ANNOUNCEMENT_ORDER);
    }

    /** Removes the announcement from {@code node} by {@code announcer} for {@code service}, if any. */
    public void removeAnnouncement(final String node, final Announcer announcer, final String service) {
        for (int i = announcements.size() - 1; i >= 0; i--) {
            final Announcement a = announcements.get(i);
            if (a.node().equals(node) && a.announcer() == announcer && a.service().equals(service)) {
                announcements.remove(i);
            }
        }
    }

    /** Inserts {@code item} at its place by key, replacing the item of the same key. */
    private static <T extends Keyed> void put(final List<T> list, final T item) {
        for (int i = 0; i < list.size(); i++) {
            final int order = list.get(i).key().compareTo(item.key());
            if (order == 0) {
                list.set(i, item);
                return;
            }
            if (order > 0) {
                list.add(i, item);
                return;
            }
        }
        list.add(item);
    }

    private static boolean remove(final List<? extends Keyed> list, final String key) {
        boolean removed = false;
        for (int i = list.size() - 1; i >= 0; i--) {
            if (list.get(i).key().equals(key)) {
                list.remove(i);
                removed = true;
            }
        }
        return removed;
    }

    /** Responders as last evaluated, sorted. */
    public List<String> responders() {
        return responders;
    }

    public void setResponders(final List<String> responders) {
        this.responders = responders;
    }

    /** When it was last evaluated with a change; -1 while it was created at the current millisecond and not yet evaluated. */
    public long updatedAt() {
        return updatedAt;
    }

    /** Created at the current millisecond: not evaluated yet (dropped if what created it does not outlive it). */
    public void markNew() {
        this.updatedAt = -1;
    }

    /** Evaluated with a change at {@code t}. */
    public void updated(final long t) {
        this.updatedAt = t;
    }

    /** Flap penalty as of {@link #penaltyAt()}. */
    public double penalty() {
        return penalty;
    }

    public long penaltyAt() {
        return penaltyAt;
    }

    /** The flap penalty is {@code penalty} as of {@code at}. */
    public void setPenalty(final double penalty, final long at) {
        this.penalty = penalty;
        this.penaltyAt = at;
    }

    /** Responders before the first change of the open merge group; null when no group is open. */
    public List<String> groupStart() {
        return groupStart;
    }

    /** Time of the last change of the open merge group, -1 when none is open. */
    public long groupLast() {
        return groupLast;
    }

    /** A responder change at {@code t}: opens a merge group starting from {@code before} unless one is open. */
    public void extendGroup(final List<String> before, final long t) {
        if (groupStart == null) {
            groupStart = before;
        }
        groupLast = t;
    }

    /** Closes the open merge group; returns the responders it started from. */
    public List<String> closeGroup() {
        final List<String> start = groupStart;
        groupStart = null;
        groupLast = -1;
        return start;
    }

    /** Each prober's latest fresh wire observation, sorted by prober node; empty without probers. */
    public List<WireProbe> probes() {
        return probes;
    }

    /** Each prober's latest fresh wire observation (kept as given: sorted by prober node, read only). */
    public void setProbes(final List<WireProbe> probes) {
        this.probes = probes;
    }

    /** The pending wake-up, or -1. */
    public long wakeAt() {
        return wakeAt;
    }

    public void setWakeAt(final long at) {
        this.wakeAt = at;
    }

    /** The type of the input event behind changes at the current millisecond, or null when there is none. */
    public String causeType() {
        return causeType;
    }

    public String causeKey() {
        return causeKey;
    }

    public String causeEventId() {
        return causeEventId;
    }

    public String causeSource() {
        return causeSource;
    }

    public long causeAt() {
        return causeAt;
    }

    /** The input event behind changes at the current millisecond. */
    public void setCause(final String type, final String key, final String eventId, final String source,
            final long at) {
        this.causeType = type;
        this.causeKey = key;
        this.causeEventId = eventId;
        this.causeSource = source;
        this.causeAt = at;
    }

    /** The cause is used up (its changes are evaluated). */
    public void clearCause() {
        setCause(null, null, null, null, 0);
    }

    /** The merge group as stored ({@link StateCodec}, golden state): none is open when {@code start} is null. */
    void restoreGroup(final List<String> start, final long last) {
        this.groupStart = start;
        this.groupLast = last;
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
