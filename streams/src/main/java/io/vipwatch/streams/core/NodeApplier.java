package io.vipwatch.streams.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.schemas.event.NodeAddresses;
import io.vipwatch.schemas.event.NodeFacts;
import io.vipwatch.streams.core.state.ClusterRecord;
import io.vipwatch.streams.core.state.NodeRecord;
import io.vipwatch.streams.core.state.SourceRecord;
import io.vipwatch.streams.core.state.Timer;
import io.vipwatch.streams.core.state.VipRecord;
import io.vipwatch.streams.core.vocabulary.AlertKind;
import io.vipwatch.streams.core.vocabulary.AlertState;

/**
 * {@link InputApplier}'s section for nodes: their addresses become bindings on the VIPs they hold, their facts
 * (exclusion, speaker eligibility, kube-vip) are kept for the rules, and a deleted node takes its bindings and the
 * silence of its agents with it.
 */
final class NodeApplier {

    private final DetectionState state;
    private final DetectionSink sink;
    private final InputApplier applier;
    private final WireApplier wire;

    NodeApplier(final DetectionState state, final DetectionSink sink, final InputApplier applier,
            final WireApplier wire) {
        this.state = state;
        this.sink = sink;
        this.applier = applier;
        this.wire = wire;
    }

    void apply(final ClusterRecord c, final NodeAddresses e, final long t) {
        NodeRecord n = state.nodes().get(c.cluster(), e.node());
        if (e.deleted()) {
            deleteNode(c, n, e.node(), e, t);
            return;
        }
        if (n != null && sameAddresses(n.addresses(), e.addresses())) {
            // the heartbeat snapshot of an unchanged node (checked before allocating anything)
            if (wire.links(c, n, e)) {
                state.nodes().put(c.cluster(), n);
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
        final List<NodeRecord.Address> old = n.addresses();
        n.setAddresses(now, e.eventId(), t);
        wire.links(c, n, e);
        for (final NodeRecord.Address a : old) {
            if (n.address(a.ip()) == null) {
                final VipRecord vip = state.vips().get(c.cluster(), a.ip());
                if (vip != null) {
                    vip.removeBinding(e.node());
                    applier.touch(c, vip, e);
                }
            }
        }
        for (final NodeRecord.Address a : now) {
            final NodeRecord.Address before = address(old, a.ip());
            if (a.equals(before)) {
                continue;
            }
            final VipRecord vip = state.vips().get(c.cluster(), a.ip());
            if (vip != null) {
                vip.putBinding(new VipRecord.Binding(e.node(), a.iface(), a.prefixLength(), t, e.eventId()));
                applier.touch(c, vip, e);
            }
        }
        state.nodes().put(c.cluster(), n);
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

    void apply(final ClusterRecord c, final NodeFacts e, final long t) {
        NodeRecord n = state.nodes().get(c.cluster(), e.node());
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
        } else if (n.hasFacts(e.excludedFromLoadBalancers(), e.speakerEligible(), kubeVip, svcEnable, pod)) {
            return;
        }
        n.setFacts(e.excludedFromLoadBalancers(), e.speakerEligible(), kubeVip, svcEnable, pod, e.eventId(), t);
        state.nodes().put(c.cluster(), n);
        for (final VipRecord vip : state.vips().all(c.cluster())) {
            boolean involved = vip.binding(e.node()) != null;
            for (final VipRecord.Announcement a : vip.announcements()) {
                involved |= a.node().equals(e.node());
            }
            if (involved) {
                applier.touch(c, vip, e);
            }
        }
    }

    /** Marks every VIP announced from {@code node} changed (its facts decide EXCLUDED_NODE_OWNER there). */
    private void touchAnnounced(final ClusterRecord c, final String node, final InputEvent e) {
        for (final VipRecord vip : state.vips().all(c.cluster())) {
            for (final VipRecord.Announcement a : vip.announcements()) {
                if (a.node().equals(node)) {
                    applier.touch(c, vip, e);
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
        c.deletedNodes().add(name);
        if (n != null) {
            for (final NodeRecord.Address a : n.addresses()) {
                final VipRecord vip = state.vips().get(c.cluster(), a.ip());
                if (vip != null && vip.removeBinding(name)) {
                    applier.touch(c, vip, e);
                }
            }
            state.nodes().remove(c.cluster(), name);
            wire.gone(c, n, e);
            if (n.hasFacts()) { // its facts are gone too: re-judge what it announces
                touchAnnounced(c, name, e);
            }
        }
        final List<SourceRecord> sources = state.sources().all(c.cluster());
        sources.sort(Comparator.comparing(SourceRecord::source));
        for (final SourceRecord source : sources) {
            if (name.equals(source.node())) {
                if (source.silent().isOpen()) {
                    source.silent().resolve();
                    sink.alert(Alerts.transition(AlertState.RESOLVED, AlertKind.COLLECTOR_SILENT, c.cluster(), null,
                            source.source(), source.silent(), t, Alerts.evidence(source)));
                }
                if (source.wakeAt() >= 0) {
                    state.timers().unschedule(c.cluster(), new Timer(source.wakeAt(), Timer.SOURCE, source.source()));
                }
                state.sources().remove(c.cluster(), source.source());
            }
        }
    }

    /** Completes the deletions of the millisecond that is over. */
    void settleDeletions(final ClusterRecord c, final long t) {
        while (!c.deletedNodes().isEmpty()) {
            final String name = c.deletedNodes().pollFirst();
            deleteNode(c, state.nodes().get(c.cluster(), name), name, null, t);
            c.deletedNodes().remove(name);
        }
    }
}
