package io.vipwatch.streams.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;

import io.vipwatch.streams.core.state.NodeRecord;
import io.vipwatch.streams.core.state.VipRecord;
import io.vipwatch.streams.core.state.WireProbe;
import io.vipwatch.streams.core.vocabulary.Announcer;

/**
 * What the wire says about a VIP (docs/detection.md, "Wire truth"): the MACs that answered the probers' ARP / NDP
 * probes, mapped to nodes by their links, and the two wire conditions UNKNOWN_RESPONDER and WIRE_SILENT. Pure
 * functions over a VIP's fresh probes; a VIP without probes is judged as before.
 */
final class WireRules {

    /** A responder that is a MAC of no node: {@code mac/aa:bb:cc:dd:ee:ff} (node names cannot hold '/'). */
    static final String MAC_PREFIX = "mac/";

    private WireRules() {
    }

    /** MAC to node over the cluster's nodes' links (the latest node-addresses snapshot of each). */
    static Map<String, String> macIndex(final List<NodeRecord> nodes) {
        final Map<String, String> index = new HashMap<>();
        for (final NodeRecord n : nodes) {
            for (final NodeRecord.Link link : n.links()) {
                // a MAC on two nodes (cloned VMs): the first by name, so the answer does not depend on order
                index.merge(link.mac(), n.name(), (a, b) -> a.compareTo(b) <= 0 ? a : b);
            }
        }
        return index;
    }

    /**
     * The declared responders ({@link Rules#responders}) and every MAC that answered a fresh probe: its node, or
     * {@code mac/<mac>} for a MAC of no node. Sorted. The index is only built when some probe heard a MAC.
     */
    static List<String> responders(final VipRecord vip, final List<String> declared,
            final Supplier<Map<String, String>> macIndex) {
        if (vip.probes().isEmpty()) {
            return declared;
        }
        TreeSet<String> out = null;
        Map<String, String> index = null;
        for (final WireProbe p : vip.probes()) {
            for (final String mac : p.macs()) {
                if (index == null) {
                    index = macIndex.get();
                    out = new TreeSet<>(declared);
                }
                final String node = index.get(mac);
                out.add(node != null ? node : MAC_PREFIX + mac);
            }
        }
        return out == null ? declared : List.copyOf(out);
    }

    /** The responders that are nodes (the declared rules judge nodes; unknown MACs are UNKNOWN_RESPONDER's). */
    static List<String> nodes(final List<String> responders) {
        for (final String r : responders) {
            if (r.startsWith(MAC_PREFIX)) {
                final List<String> nodes = new ArrayList<>(responders.size());
                for (final String s : responders) {
                    if (!s.startsWith(MAC_PREFIX)) {
                        nodes.add(s);
                    }
                }
                return List.copyOf(nodes);
            }
        }
        return responders;
    }

    /** UNKNOWN_RESPONDER: a Service claims the VIP and a MAC of no node answers for it on the wire. */
    static Finding unknownResponder(final VipRecord vip, final String service) {
        if (vip.claims().isEmpty()) {
            return Finding.NONE;
        }
        final List<String> macs = new ArrayList<>();
        for (final String r : vip.responders()) {
            if (r.startsWith(MAC_PREFIX)) {
                macs.add(r.substring(MAC_PREFIX.length()));
            }
        }
        if (macs.isEmpty()) {
            return Finding.NONE;
        }
        return Finding.of(List.of(), service, String.join(", ", macs) + (macs.size() == 1 ? ", a MAC" : ", MACs")
                + " of no node of this cluster, answer" + (macs.size() == 1 ? "s " : " ") + protocol(vip) + " for "
                + vip.ip() + ", which " + service + " claims: an address conflict with a host outside the cluster (a VM,"
                + " a router, a laptop); find it by its MAC (switch MAC table, ip neigh) and remove the address");
    }

    /**
     * WIRE_SILENT: a Service claims the VIP and an L2 speaker announces it, yet no fresh probe got a reply. Only
     * probes by nodes that neither announce nor bind the VIP count: a host does not hear its own answer.
     */
    static Finding wireSilent(final VipRecord vip, final String service) {
        if (vip.claims().isEmpty() || vip.probes().isEmpty()) {
            return Finding.NONE;
        }
        final TreeSet<String> announcers = new TreeSet<>();
        for (final VipRecord.Announcement a : vip.announcements()) {
            if (a.announcer() != Announcer.METALLB_BGP) {
                announcers.add(a.node());
            }
        }
        if (announcers.isEmpty()) {
            return Finding.NONE;
        }
        final TreeSet<String> probers = new TreeSet<>();
        for (final WireProbe p : vip.probes()) {
            if (announcers.contains(p.node()) || vip.binding(p.node()) != null) {
                continue; // its own answer does not come back on the wire
            }
            if (!p.macs().isEmpty()) {
                return Finding.NONE;
            }
            probers.add(p.node());
        }
        if (probers.isEmpty()) {
            return Finding.NONE;
        }
        return Finding.of(List.copyOf(announcers), service, String.join(", ", announcers)
                + (announcers.size() == 1 ? " announces " : " announce ") + vip.ip() + " for " + service + " but nobody"
                + " answers " + protocol(vip) + " for it on the wire (probed by " + String.join(", ", probers)
                + "): the speaker is wedged or its replies are dropped; check its logs, its memberlist and its NIC");
    }

    /** The earliest time a probe of the VIP goes stale, or Long.MAX_VALUE. */
    static long nextStale(final VipRecord vip, final long staleAfterMs) {
        long next = Long.MAX_VALUE;
        for (final WireProbe p : vip.probes()) {
            next = Math.min(next, p.at() + staleAfterMs);
        }
        return next;
    }

    /** Drops the probes stale at {@code t}; returns the latest of them (the cause of what changes), or null. */
    static WireProbe expire(final VipRecord vip, final long t, final long staleAfterMs) {
        WireProbe latest = null;
        List<WireProbe> kept = null;
        for (int i = 0; i < vip.probes().size(); i++) {
            final WireProbe p = vip.probes().get(i);
            if (p.at() + staleAfterMs <= t) {
                if (kept == null) {
                    kept = new ArrayList<>(vip.probes().subList(0, i));
                }
                if (latest == null || p.at() > latest.at()) {
                    latest = p;
                }
            } else if (kept != null) {
                kept.add(p);
            }
        }
        if (kept != null) {
            vip.setProbes(List.copyOf(kept));
        }
        return latest;
    }

    /** What each fresh probe heard, for an alert's evidence. */
    static void evidence(final VipRecord vip, final Map<String, String> macIndex,
            final List<Alert.Evidence> out) {
        for (final WireProbe p : vip.probes()) {
            final StringBuilder detail = new StringBuilder();
            detail.append(protocol(vip)).append(" probe for ").append(vip.ip()).append(" on ").append(p.iface())
                    .append(": ");
            if (p.macs().isEmpty()) {
                detail.append("no reply");
            } else {
                for (int i = 0; i < p.macs().size(); i++) {
                    final String mac = p.macs().get(i);
                    final String node = macIndex.get(mac);
                    detail.append(i == 0 ? "" : ", ").append(mac)
                            .append(node != null ? " (" + node + ")" : " (unknown MAC)");
                }
                detail.append(" answered");
            }
            out.add(new Alert.Evidence("wire", p.node(), detail.toString(), p.at(), p.eventId()));
        }
    }

    private static String protocol(final VipRecord vip) {
        return vip.ip().indexOf(':') >= 0 ? "NDP" : "ARP";
    }
}
