package io.vipwatch.streams.core;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.schemas.event.NodeAddresses;
import io.vipwatch.schemas.event.WireObservation;
import io.vipwatch.streams.core.state.ClusterRecord;
import io.vipwatch.streams.core.state.NodeRecord;
import io.vipwatch.streams.core.state.VipRecord;
import io.vipwatch.streams.core.state.WireProbe;

/**
 * Applies what the wire says (docs/detection.md, "Wire truth"): a prober's observation of a VIP replaces that
 * prober's previous one, and a node's links (its MACs) map the MACs that answer to it. A VIP is re-evaluated when
 * what answered changes, not on every probe: a probe that heard the same MACs only refreshes the observation.
 */
final class WireApplier {

    private final DetectionState state;
    private final InputApplier applier;

    WireApplier(final DetectionState state, final InputApplier applier) {
        this.state = state;
        this.applier = applier;
    }

    void observe(final ClusterRecord c, final WireObservation e, final long t) {
        VipRecord vip = state.vips().get(c.cluster(), e.ip());
        final boolean created = vip == null;
        if (created) {
            // dropped when the millisecond is over unless a claim or an announcement of it came too: an IP that is
            // no VIP is not judged, whatever the order of the events of one millisecond
            vip = applier.ensureVip(c, e.ip(), t);
        }
        final WireProbe now = new WireProbe(e.node(), e.iface(), e.macs(), t, e.eventId(), e.source());
        final List<WireProbe> probes = new ArrayList<>(vip.probes().size() + 1);
        WireProbe before = null;
        boolean placed = false;
        for (final WireProbe p : vip.probes()) {
            final int order = p.node().compareTo(now.node());
            if (order == 0) {
                before = p;
                continue;
            }
            if (order > 0 && !placed) {
                probes.add(now);
                placed = true;
            }
            probes.add(p);
        }
        if (!placed) {
            probes.add(now);
        }
        vip.setProbes(List.copyOf(probes));
        if (created || before == null || !before.macs().equals(now.macs())) {
            applier.touch(c, vip, e);
        } else {
            state.vips().put(c.cluster(), vip);
        }
    }

    /**
     * Takes the node's links from its snapshot; when they changed, re-evaluates every VIP a changed MAC answered
     * for (rare: an agent's first snapshot, a NIC replaced). Returns whether they changed.
     */
    boolean links(final ClusterRecord c, final NodeRecord n, final NodeAddresses e) {
        if (sameLinks(n.links(), e.links())) {
            return false;
        }
        final List<NodeRecord.Link> now = new ArrayList<>(e.links().size());
        for (final NodeAddresses.Link l : e.links()) {
            now.add(new NodeRecord.Link(l.iface(), l.mac()));
        }
        final List<NodeRecord.Link> old = n.links();
        n.setLinks(List.copyOf(now));
        remapped(c, old, n.links(), e);
        return true;
    }

    /** The node is gone: the MACs it had are no node's any more. */
    void gone(final ClusterRecord c, final NodeRecord n, final InputEvent e) {
        if (!n.links().isEmpty()) {
            remapped(c, n.links(), List.of(), e);
        }
    }

    private void remapped(final ClusterRecord c, final List<NodeRecord.Link> old, final List<NodeRecord.Link> now,
            final InputEvent e) {
        final Set<String> macs = new HashSet<>();
        for (final NodeRecord.Link l : old) {
            macs.add(l.mac());
        }
        for (final NodeRecord.Link l : now) {
            macs.add(l.mac());
        }
        for (final VipRecord vip : state.vips().all(c.cluster())) {
            heard:
            for (final WireProbe p : vip.probes()) {
                for (final String mac : p.macs()) {
                    if (macs.contains(mac)) {
                        applier.touch(c, vip, e);
                        break heard;
                    }
                }
            }
        }
    }

    private static boolean sameLinks(final List<NodeRecord.Link> stored, final List<NodeAddresses.Link> snapshot) {
        if (stored.size() != snapshot.size()) {
            return false;
        }
        for (int i = 0; i < snapshot.size(); i++) {
            final NodeAddresses.Link x = snapshot.get(i);
            if (!stored.get(i).iface().equals(x.iface()) || !stored.get(i).mac().equals(x.mac())) {
                return false;
            }
        }
        return true;
    }
}
