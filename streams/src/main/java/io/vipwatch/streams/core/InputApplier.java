package io.vipwatch.streams.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.vipwatch.schemas.event.AnnouncementChange;
import io.vipwatch.schemas.event.Heartbeat;
import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.schemas.event.NodeAddresses;
import io.vipwatch.schemas.event.NodeFacts;
import io.vipwatch.schemas.event.ServiceChange;
import io.vipwatch.schemas.event.WireObservation;
import io.vipwatch.streams.core.state.ClusterRecord;
import io.vipwatch.streams.core.state.Condition;
import io.vipwatch.streams.core.state.Names;
import io.vipwatch.streams.core.state.NodeRecord;
import io.vipwatch.streams.core.state.ServiceRecord;
import io.vipwatch.streams.core.state.SourceRecord;
import io.vipwatch.streams.core.state.Timer;
import io.vipwatch.streams.core.state.VipRecord;
import io.vipwatch.streams.core.vocabulary.AlertKind;
import io.vipwatch.streams.core.vocabulary.AlertState;
import io.vipwatch.streams.core.vocabulary.Announcer;

/**
 * Applies one input event to the state at the cluster's current time: claims, announcements, bindings,
 * node facts, heartbeats. VIPs it changes are marked dirty and evaluated once the clock moves on, so
 * events of one millisecond give the same result in any order. Repeated identical input changes nothing.
 */
final class InputApplier {

    /** Annotations by which MetalLB records an allocation (current and pre-0.13 prefix). */
    static final String[] METALLB_POOL_ANNOTATIONS = {"metallb.io/ip-allocated-from-pool",
        "metallb.universe.tf/ip-allocated-from-pool"};
    static final String KUBE_VIP_PREFIX = "kube-vip.io/";
    static final String KUBE_VIP_HOST = "kube-vip.io/vipHost";
    static final String KUBE_VIP_CLASS = "kube-vip.io/kube-vip-class";

    private static final Comparator<ServiceRecord.Announcement> SERVICE_ANNOUNCEMENT_ORDER = Comparator
            .comparing(ServiceRecord.Announcement::node)
            .thenComparing(ServiceRecord.Announcement::announcer)
            .thenComparing(a -> a.vip() == null ? "" : a.vip());
    private static final Comparator<VipRecord.Announcement> VIP_ANNOUNCEMENT_ORDER = Comparator
            .comparing(VipRecord.Announcement::node)
            .thenComparing(VipRecord.Announcement::service)
            .thenComparing(VipRecord.Announcement::announcer);

    private final DetectionState state;
    private final DetectionSettings config;
    private final DetectionSink sink;
    private final WireApplier wire;

    InputApplier(final DetectionState state, final DetectionSettings config, final DetectionSink sink) {
        this.state = state;
        this.config = config;
        this.sink = sink;
        this.wire = new WireApplier(state, this);
    }

    void apply(final ClusterRecord c, final InputEvent event, final long t) {
        if (event instanceof ServiceChange e) {
            service(c, e, t);
        } else if (event instanceof AnnouncementChange e) {
            announcement(c, e, t);
        } else if (event instanceof NodeAddresses e) {
            nodeAddresses(c, e, t);
        } else if (event instanceof NodeFacts e) {
            nodeFacts(c, e, t);
        } else if (event instanceof Heartbeat e) {
            heartbeat(c, e, t);
        } else if (event instanceof WireObservation e) {
            wire.observe(c, e, t);
        }
    }

    // --- services

    private void service(final ClusterRecord c, final ServiceChange e, final long t) {
        final String cluster = c.cluster;
        ServiceRecord s = state.service(cluster, e.service());
        if (e.op() == ServiceChange.Op.DELETE) {
            if (s == null || !s.exists) {
                return;
            }
            final List<String> released = s.ingressIps;
            // announcements naming no IP mean "the Service's IPs": none while it is gone; they are kept (until
            // withdrawn) so that a DELETE and an ANNOUNCE of the same millisecond agree in either order
            s.exists = false;
            s.ingressIps = List.of();
            for (final String ip : released) {
                final VipRecord vip = state.vip(cluster, ip);
                if (vip != null) {
                    removeClaim(vip, s.name);
                    removeIplessAnnouncements(s, vip, ip);
                    touch(c, vip, e);
                }
            }
            if (s.announcements.isEmpty()) {
                state.removeService(cluster, s.name);
            } else {
                state.putService(cluster, s);
            }
            return;
        }
        final List<String> ips = distinct(e.ingressIps());
        String pool = null;
        for (final String key : METALLB_POOL_ANNOTATIONS) {
            final String value = e.annotations().get(key);
            if (value != null) {
                pool = value;
                break;
            }
        }
        boolean annotated = false;
        for (final Map.Entry<String, String> a : e.annotations().entrySet()) {
            annotated |= a.getKey().startsWith(KUBE_VIP_PREFIX);
        }
        final boolean kubeVipClass = KUBE_VIP_CLASS.equals(e.loadBalancerClass());
        final String vipHost = e.annotations().get(KUBE_VIP_HOST);
        if (s == null) {
            s = new ServiceRecord(e.service());
        }
        final List<String> old = s.exists ? s.ingressIps : List.of();
        if (s.exists && old.equals(ips) && Objects.equals(pool, s.metallbPool) && annotated == s.kubeVipAnnotated
                && kubeVipClass == s.kubeVipClass && Objects.equals(vipHost, s.vipHost)) {
            return; // a resend of what we know
        }
        s.exists = true;
        s.metallbPool = Names.intern(pool);
        s.kubeVipAnnotated = annotated;
        s.kubeVipClass = kubeVipClass;
        s.vipHost = Names.intern(vipHost);
        s.eventId = e.eventId();
        if (old.isEmpty() && !ips.isEmpty()) {
            s.since = t;
        }
        s.ingressIps = ips;
        for (final String ip : old) {
            if (!ips.contains(ip)) {
                final VipRecord vip = state.vip(cluster, ip);
                if (vip != null) {
                    removeClaim(vip, s.name);
                    removeIplessAnnouncements(s, vip, ip);
                    touch(c, vip, e);
                }
            }
        }
        for (final String ip : ips) {
            if (!old.contains(ip)) {
                final VipRecord vip = ensureVip(c, ip, t);
                for (final ServiceRecord.Announcement a : s.announcements) {
                    if (a.vip() == null) {
                        addAnnouncement(vip, new VipRecord.Announcement(a.node(), a.announcer(), s.name, a.since(),
                                a.eventId()));
                    }
                }
                upsertClaim(vip, claim(s, t, e.eventId()));
                touch(c, vip, e);
            }
        }
        refreshClaims(c, s, e);
        state.putService(cluster, s);
    }

    private static VipRecord.Claim claim(final ServiceRecord s, final long since, final String eventId) {
        return new VipRecord.Claim(s.name, s.metallb(), s.kubeVip(), s.kubeVipMarker(), s.vipHost, s.metallbPool,
                since, eventId);
    }

    /** Brings the claims of a Service's VIPs in line with its current controller signs. */
    private void refreshClaims(final ClusterRecord c, final ServiceRecord s, final InputEvent cause) {
        if (!s.exists) {
            return;
        }
        for (final String ip : s.ingressIps) {
            final VipRecord vip = state.vip(c.cluster, ip);
            if (vip == null) {
                continue;
            }
            for (int i = 0; i < vip.claims.size(); i++) {
                final VipRecord.Claim old = vip.claims.get(i);
                if (old.service().equals(s.name)) {
                    final VipRecord.Claim now = claim(s, old.since(), old.eventId());
                    if (!now.equals(old)) {
                        vip.claims.set(i, new VipRecord.Claim(s.name, now.metallb(), now.kubeVip(),
                                now.kubeVipMarker(), now.vipHost(), now.pool(), old.since(), s.eventId));
                        touch(c, vip, cause);
                    }
                }
            }
        }
    }

    private static void upsertClaim(final VipRecord vip, final VipRecord.Claim claim) {
        for (int i = 0; i < vip.claims.size(); i++) {
            final int order = vip.claims.get(i).service().compareTo(claim.service());
            if (order == 0) {
                vip.claims.set(i, claim);
                return;
            }
            if (order > 0) {
                vip.claims.add(i, claim);
                return;
            }
        }
        vip.claims.add(claim);
    }

    private static void removeClaim(final VipRecord vip, final String service) {
        vip.claims.removeIf(claim -> claim.service().equals(service));
    }

    // --- announcements

    private void announcement(final ClusterRecord c, final AnnouncementChange e, final long t) {
        final String cluster = c.cluster;
        ServiceRecord s = state.service(cluster, e.service());
        if (s == null) {
            s = new ServiceRecord(e.service()); // the Service may follow: keep the announcement for it
        }
        final Announcer announcer = announcer(e.announcer());
        if (e.op() == AnnouncementChange.Op.ANNOUNCE) {
            for (final ServiceRecord.Announcement a : s.announcements) {
                if (a.sameTarget(announcer, e.node(), e.vip())) {
                    return; // a resend
                }
            }
            final ServiceRecord.Announcement a = new ServiceRecord.Announcement(announcer, e.node(), e.vip(), t,
                    e.eventId());
            s.announcements.add(a);
            s.announcements.sort(SERVICE_ANNOUNCEMENT_ORDER);
            for (final String ip : s.targets(a)) {
                final VipRecord vip = a.vip() != null ? ensureVip(c, ip, t) : state.vip(cluster, ip);
                if (vip != null) {
                    addAnnouncement(vip, new VipRecord.Announcement(e.node(), announcer, s.name, t, e.eventId()));
                    touch(c, vip, e);
                }
            }
        } else {
            final List<ServiceRecord.Announcement> removed = new ArrayList<>();
            for (final ServiceRecord.Announcement a : s.announcements) {
                if (a.announcer() == announcer && a.node().equals(e.node())
                        && (e.vip() == null || e.vip().equals(a.vip()))) {
                    removed.add(a);
                }
            }
            if (removed.isEmpty()) {
                return;
            }
            s.announcements.removeAll(removed);
            for (final ServiceRecord.Announcement a : removed) {
                for (final String ip : s.targets(a)) {
                    if (stillAnnounced(s, announcer, e.node(), ip)) {
                        continue;
                    }
                    final VipRecord vip = state.vip(cluster, ip);
                    if (vip != null) {
                        removeAnnouncement(vip, e.node(), announcer, s.name);
                        touch(c, vip, e);
                    }
                }
            }
        }
        refreshClaims(c, s, e);
        if (!s.exists && s.announcements.isEmpty()) {
            state.removeService(cluster, s.name);
        } else {
            state.putService(cluster, s);
        }
    }

    /** The input's speaker in the core's words. */
    private static Announcer announcer(final AnnouncementChange.Announcer announcer) {
        return switch (announcer) {
            case METALLB_L2 -> Announcer.METALLB_L2;
            case METALLB_BGP -> Announcer.METALLB_BGP;
            case KUBE_VIP -> Announcer.KUBE_VIP;
        };
    }

    /**
     * The Service no longer has {@code ip}: its announcements that name no IP stop applying there, unless the same
     * speaker also announces the IP by name (one VIP entry stands for both, so it must stay).
     */
    private static void removeIplessAnnouncements(final ServiceRecord s, final VipRecord vip, final String ip) {
        for (final ServiceRecord.Announcement a : s.announcements) {
            if (a.vip() == null && !stillAnnounced(s, a.announcer(), a.node(), ip)) {
                removeAnnouncement(vip, a.node(), a.announcer(), s.name);
            }
        }
    }

    private static boolean stillAnnounced(final ServiceRecord s, final Announcer announcer, final String node,
            final String ip) {
        for (final ServiceRecord.Announcement a : s.announcements) {
            if (a.announcer() == announcer && a.node().equals(node) && s.targets(a).contains(ip)) {
                return true;
            }
        }
        return false;
    }

    private static void addAnnouncement(final VipRecord vip, final VipRecord.Announcement a) {
        for (final VipRecord.Announcement existing : vip.announcements) {
            if (existing.node().equals(a.node()) && existing.service().equals(a.service())
                    && existing.announcer() == a.announcer()) {
                return;
            }
        }
        vip.announcements.add(a);
        vip.announcements.sort(VIP_ANNOUNCEMENT_ORDER);
    }

    private static void removeAnnouncement(final VipRecord vip, final String node, final Announcer announcer,
            final String service) {
        vip.announcements.removeIf(a -> a.node().equals(node) && a.announcer() == announcer
                && a.service().equals(service));
    }

    // --- nodes

    private void nodeAddresses(final ClusterRecord c, final NodeAddresses e, final long t) {
        NodeRecord n = state.node(c.cluster, e.node());
        if (e.deleted()) {
            deleteNode(c, n, e.node(), e, t);
            return;
        }
        if (n != null && sameAddresses(n.addresses, e.addresses())) {
            // the heartbeat snapshot of an unchanged node (checked before allocating anything)
            if (wire.links(c, n, e)) {
                state.putNode(c.cluster, n);
            }
            return;
        }
        changeAddresses(c, n, e, t);
    }

    private void changeAddresses(final ClusterRecord c, final NodeRecord known, final NodeAddresses e,
            final long t) {
        final List<NodeRecord.Address> now = new ArrayList<>(e.addresses().size());
        for (final NodeAddresses.Address a : e.addresses()) {
            boolean seen = false;
            for (final NodeRecord.Address b : now) {
                seen |= b.ip().equals(a.ip());
            }
            if (!seen) {
                now.add(new NodeRecord.Address(a.ip(), a.iface(), a.prefixLength()));
            }
        }
        final NodeRecord n = known != null ? known : new NodeRecord(e.node());
        final List<NodeRecord.Address> old = n.addresses;
        n.addresses = now;
        n.addressesEventId = e.eventId();
        n.addressesAt = t;
        wire.links(c, n, e);
        for (final NodeRecord.Address a : old) {
            if (n.address(a.ip()) == null) {
                final VipRecord vip = state.vip(c.cluster, a.ip());
                if (vip != null) {
                    vip.bindings.removeIf(b -> b.node().equals(e.node()));
                    touch(c, vip, e);
                }
            }
        }
        for (final NodeRecord.Address a : now) {
            final NodeRecord.Address before = address(old, a.ip());
            if (a.equals(before)) {
                continue;
            }
            final VipRecord vip = state.vip(c.cluster, a.ip());
            if (vip != null) {
                setBinding(vip, new VipRecord.Binding(e.node(), a.iface(), a.prefixLength(), t, e.eventId()));
                touch(c, vip, e);
            }
        }
        state.putNode(c.cluster, n);
    }

    private static NodeRecord.Address address(final List<NodeRecord.Address> list, final String ip) {
        for (final NodeRecord.Address a : list) {
            if (a.ip().equals(ip)) {
                return a;
            }
        }
        return null;
    }

    /** The snapshot holds exactly the stored addresses (no duplicates in it: those take the slow path). */
    private static boolean sameAddresses(final List<NodeRecord.Address> stored,
            final List<NodeAddresses.Address> snapshot) {
        if (stored.size() != snapshot.size()) {
            return false;
        }
        for (int i = 0; i < snapshot.size(); i++) {
            final NodeAddresses.Address x = snapshot.get(i);
            final NodeRecord.Address same = i < stored.size() && stored.get(i).ip().equals(x.ip()) ? stored.get(i)
                    : address(stored, x.ip());
            if (same == null || same.prefixLength() != x.prefixLength() || !same.iface().equals(x.iface())) {
                return false;
            }
            for (int j = 0; j < i; j++) {
                if (snapshot.get(j).ip().equals(x.ip())) {
                    return false;
                }
            }
        }
        return true;
    }

    private static void setBinding(final VipRecord vip, final VipRecord.Binding binding) {
        for (int i = 0; i < vip.bindings.size(); i++) {
            final int order = vip.bindings.get(i).node().compareTo(binding.node());
            if (order == 0) {
                vip.bindings.set(i, binding);
                return;
            }
            if (order > 0) {
                vip.bindings.add(i, binding);
                return;
            }
        }
        vip.bindings.add(binding);
    }

    private void nodeFacts(final ClusterRecord c, final NodeFacts e, final long t) {
        NodeRecord n = state.node(c.cluster, e.node());
        if (e.deleted()) {
            deleteNode(c, n, e.node(), e, t);
            return;
        }
        final NodeFacts.KubeVip kv = e.kubeVip();
        final boolean kubeVip = kv != null;
        final boolean svcEnable = kv != null && kv.svcEnable();
        final String pod = kv == null ? null : kv.pod();
        if (n == null) {
            n = new NodeRecord(e.node());
        } else if (n.hasFacts && n.excluded == e.excludedFromLoadBalancers()
                && Objects.equals(n.speakerEligible, e.speakerEligible()) && n.kubeVip == kubeVip
                && n.svcEnable == svcEnable && Objects.equals(n.kubeVipPod, pod)) {
            return;
        }
        n.hasFacts = true;
        n.excluded = e.excludedFromLoadBalancers();
        n.speakerEligible = e.speakerEligible();
        n.kubeVip = kubeVip;
        n.svcEnable = svcEnable;
        n.kubeVipPod = pod;
        n.factsEventId = e.eventId();
        n.factsAt = t;
        state.putNode(c.cluster, n);
        for (final VipRecord vip : state.vips(c.cluster)) {
            boolean involved = vip.binding(e.node()) != null;
            for (final VipRecord.Announcement a : vip.announcements) {
                involved |= a.node().equals(e.node());
            }
            if (involved) {
                touch(c, vip, e);
            }
        }
    }

    /** Marks every VIP announced from {@code node} changed (its facts decide EXCLUDED_NODE_OWNER there). */
    private void touchAnnounced(final ClusterRecord c, final String node, final InputEvent e) {
        for (final VipRecord vip : state.vips(c.cluster)) {
            for (final VipRecord.Announcement a : vip.announcements) {
                if (a.node().equals(node)) {
                    touch(c, vip, e);
                    break;
                }
            }
        }
    }

    /**
     * A node is gone: its bindings go, and the silence of its agents is no longer a question. Applied at once
     * and again when the millisecond is over ({@link #settleDeletions}), so a deletion wins over anything else
     * about the node in the same millisecond, in whatever order it came.
     */
    private void deleteNode(final ClusterRecord c, final NodeRecord n, final String name, final InputEvent e,
            final long t) {
        c.deletedNodes.add(name);
        if (n != null) {
            for (final NodeRecord.Address a : n.addresses) {
                final VipRecord vip = state.vip(c.cluster, a.ip());
                if (vip != null && vip.bindings.removeIf(b -> b.node().equals(name))) {
                    touch(c, vip, e);
                }
            }
            state.removeNode(c.cluster, name);
            wire.gone(c, n, e);
            if (n.hasFacts) { // its facts are gone too: re-judge what it announces
                touchAnnounced(c, name, e);
            }
        }
        final List<SourceRecord> sources = state.sources(c.cluster);
        sources.sort(Comparator.comparing(s -> s.source));
        for (final SourceRecord source : sources) {
            if (name.equals(source.node)) {
                if (source.silent.open) {
                    source.silent.seq++;
                    sink.alert(Alerts.transition(AlertState.RESOLVED, AlertKind.COLLECTOR_SILENT, c.cluster, null,
                            source.source, source.silent, t, Alerts.evidence(source)));
                }
                if (source.wakeAt >= 0) {
                    state.unschedule(c.cluster, new Timer(source.wakeAt, Timer.SOURCE, source.source));
                }
                state.removeSource(c.cluster, source.source);
            }
        }
    }

    /** Completes the deletions of the millisecond that is over. */
    void settleDeletions(final ClusterRecord c, final long t) {
        while (!c.deletedNodes.isEmpty()) {
            final String name = c.deletedNodes.pollFirst();
            deleteNode(c, state.node(c.cluster, name), name, null, t);
            c.deletedNodes.remove(name);
        }
    }

    // --- heartbeats

    private void heartbeat(final ClusterRecord c, final Heartbeat e, final long t) {
        SourceRecord s = state.source(c.cluster, e.source());
        if (s == null) {
            s = new SourceRecord(e.source());
        }
        s.lastHeartbeat = t;
        s.lastEventId = e.eventId();
        s.node = Names.intern(e.node()); // the latest heartbeat says which node's agent this is
        if (s.silent.open) {
            resolveSilence(c, s, t);
        }
        // one pending wake-up per source: when it fires early (heartbeats came since), it moves itself on
        if (s.wakeAt < 0) {
            s.wakeAt = t + config.silenceAfterMs();
            state.schedule(c.cluster, new Timer(s.wakeAt, Timer.SOURCE, s.source));
        }
        state.putSource(c.cluster, s);
    }

    private void resolveSilence(final ClusterRecord c, final SourceRecord s, final long t) {
        final Condition silent = s.silent;
        silent.seq++;
        sink.alert(Alerts.transition(AlertState.RESOLVED, AlertKind.COLLECTOR_SILENT, c.cluster, null, s.source,
                silent, t, Alerts.evidence(s)));
        silent.open = false;
        silent.openedAt = -1;
        silent.seq = 0;
    }

    // --- helpers

    /** The VIP record of an IP that a Service claims or a speaker announces, created with its current bindings. */
    VipRecord ensureVip(final ClusterRecord c, final String ip, final long t) {
        VipRecord vip = state.vip(c.cluster, ip);
        if (vip != null) {
            return vip;
        }
        vip = new VipRecord(ip);
        vip.updatedAt = -1; // not evaluated yet: dropped if what created it does not outlive the millisecond
        for (final NodeRecord n : state.nodes(c.cluster)) {
            final NodeRecord.Address a = n.address(ip);
            if (a != null) {
                setBinding(vip, new VipRecord.Binding(n.name, a.iface(), a.prefixLength(), t, n.addressesEventId));
            }
        }
        return vip;
    }

    /** Marks a VIP changed at the current millisecond and remembers the (greatest) event behind it. */
    void touch(final ClusterRecord c, final VipRecord vip, final InputEvent e) {
        c.dirty.add(vip.ip);
        if (e != null && (vip.causeType == null || compareCause(e, vip) > 0)) {
            vip.causeType = e.type();
            vip.causeKey = e.key();
            vip.causeEventId = e.eventId();
            vip.causeSource = e.source();
            vip.causeAt = e.observedAt();
        }
        state.putVip(c.cluster, vip);
    }

    private static int compareCause(final InputEvent e, final VipRecord vip) {
        int order = e.type().compareTo(vip.causeType);
        if (order == 0) {
            order = e.key().compareTo(vip.causeKey);
        }
        if (order == 0) {
            order = String.valueOf(e.eventId()).compareTo(String.valueOf(vip.causeEventId));
        }
        return order;
    }

    private static List<String> distinct(final List<String> ips) {
        if (ips.size() <= 1) {
            return ips;
        }
        final List<String> out = new ArrayList<>(ips.size());
        for (final String ip : ips) {
            if (!out.contains(ip)) {
                out.add(ip);
            }
        }
        return List.copyOf(out);
    }
}
