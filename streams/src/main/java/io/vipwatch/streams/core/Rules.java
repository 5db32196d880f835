package io.vipwatch.streams.core;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Function;

import io.vipwatch.streams.core.state.NodeRecord;
import io.vipwatch.streams.core.state.VipRecord;
import io.vipwatch.streams.core.vocabulary.AlertKind;
import io.vipwatch.streams.core.vocabulary.Announcer;

/**
 * The divergence rules (issue 3 "Semantics"): from one VIP's claims, announcements and bindings plus node
 * facts to a {@link Finding} per condition. Pure functions; the grace lifecycle is elsewhere.
 */
final class Rules {

    /** The conditions that follow the grace lifecycle, in the order they are decided (precedence order). */
    static final AlertKind[] GRACE_KINDS = {AlertKind.FOREIGN_BINDING, AlertKind.DUPLICATE_RESPONDERS,
        AlertKind.EXCLUDED_NODE_OWNER, AlertKind.UNANNOUNCED, AlertKind.ORPHANED, AlertKind.DUAL_CONTROLLER,
        AlertKind.UNKNOWN_RESPONDER, AlertKind.WIRE_SILENT};

    private Rules() {
    }

    /** Nodes answering ARP/NDP: L2 announcers (MetalLB L2, kube-vip) and nodes with the IP bound. Sorted. */
    static List<String> responders(final VipRecord vip) {
        if (vip.announcements().isEmpty() && vip.bindings().size() <= 1) {
            return vip.bindings().isEmpty() ? List.of() : List.of(vip.bindings().get(0).node());
        }
        final TreeSet<String> nodes = new TreeSet<>();
        for (final VipRecord.Announcement a : vip.announcements()) {
            if (a.announcer() != Announcer.METALLB_BGP) {
                nodes.add(a.node());
            }
        }
        for (final VipRecord.Binding b : vip.bindings()) {
            nodes.add(b.node());
        }
        return List.copyOf(nodes);
    }

    /** Every grace condition's finding, by kind (DUAL_CONTROLLER's is asked separately, see {@link #dualController}). */
    static final class Findings {
        Finding foreignBinding;
        Finding duplicateResponders;
        Finding excludedNodeOwner;
        Finding unannounced;
        Finding orphaned;
        Finding unknownResponder;
        Finding wireSilent;

        Finding get(final AlertKind kind) {
            return switch (kind) {
                case FOREIGN_BINDING -> foreignBinding;
                case DUPLICATE_RESPONDERS -> duplicateResponders;
                case EXCLUDED_NODE_OWNER -> excludedNodeOwner;
                case UNANNOUNCED -> unannounced;
                case ORPHANED -> orphaned;
                case UNKNOWN_RESPONDER -> unknownResponder;
                case WIRE_SILENT -> wireSilent;
                default -> Finding.NONE;
            };
        }
    }

    /**
     * Every grace condition's finding. DUAL_CONTROLLER's depends on FOREIGN_BINDING's lifecycle, so
     * {@link #dualController} is asked separately once that is decided.
     */
    static Findings evaluate(final VipRecord vip, final Function<String, NodeRecord> nodes) {
        final Findings out = new Findings();
        final String service = vipService(vip);
        out.foreignBinding = foreignBinding(vip, nodes);
        final List<String> responders = WireRules.nodes(vip.responders()); // MACs of no node: UNKNOWN_RESPONDER
        out.duplicateResponders = responders.size() >= 2 && !out.foreignBinding.holds()
                ? Finding.of(responders, service,
                        String.join(" and ", responders) + " all answer ARP/NDP for " + vip.ip()
                                + ": clients flip between them; look for a second speaker (e.g. a MetalLB memberlist split)")
                : Finding.NONE;
        out.excludedNodeOwner = excludedOwner(vip, nodes, out.foreignBinding, service);
        boolean bgp = false;
        for (final VipRecord.Announcement a : vip.announcements()) {
            bgp |= a.announcer() == Announcer.METALLB_BGP;
        }
        out.unannounced = !vip.claims().isEmpty() && responders.isEmpty() && !bgp
                ? Finding.of(List.of(), service, null)
                : Finding.NONE;
        // a BGP route is not an L2 responder: an unclaimed IP only BGP speakers announce is not ORPHANED
        out.orphaned = vip.claims().isEmpty() && !responders.isEmpty()
                ? orphaned(vip, responders, service)
                : Finding.NONE;
        out.unknownResponder = WireRules.unknownResponder(vip, service);
        out.wireSilent = WireRules.wireSilent(vip, service);
        return out;
    }

    /**
     * The Service an alert about the VIP names (docs/detection.md, "Which Service an alert names"): the first
     * claiming Service by namespace/name; with no claim, the first Service with an announcement of the IP; else
     * the last claimant.
     */
    static String vipService(final VipRecord vip) {
        if (!vip.claims().isEmpty()) {
            return vip.claims().get(0).service();
        }
        String first = null;
        for (final VipRecord.Announcement a : vip.announcements()) {
            if (first == null || a.service().compareTo(first) < 0) {
                first = a.service();
            }
        }
        return first != null ? first : vip.lastService();
    }

    /** DUAL_CONTROLLER: a claim with both a MetalLB allocation and a kube-vip marker, quiet while FOREIGN_BINDING holds or is open. */
    static Finding dualController(final VipRecord vip, final boolean foreignBindingHoldsOrOpen) {
        if (foreignBindingHoldsOrOpen) {
            return Finding.NONE;
        }
        for (final VipRecord.Claim c : vip.claims()) {
            if (c.pool() != null && c.kubeVipMarker()) {
                return Finding.of(c.vipHost() == null ? List.of() : List.of(c.vipHost()), c.service(),
                        c.service() + " has a MetalLB allocation (pool " + c.pool() + ") and a kube-vip marker"
                                + (c.vipHost() == null ? "" : " (vipHost " + c.vipHost() + ")")
                                + ": two controllers manage " + vip.ip() + "; keep one (kube-vip: svc_enable \"false\")");
            }
        }
        return Finding.NONE;
    }

    /**
     * The bindings no judged claimant expects. Each claimant's expected owners come from its own announcements (and,
     * for kube-vip, its vipHost); a claimant with no sign of a controller has no announcements and is not judged.
     */
    private static Finding foreignBinding(final VipRecord vip, final Function<String, NodeRecord> nodes) {
        if (vip.claims().isEmpty() || vip.bindings().isEmpty()) {
            return Finding.NONE;
        }
        final TreeSet<String> owners = new TreeSet<>();
        String judgedService = null;
        for (final VipRecord.Claim claim : vip.claims()) {
            final boolean judged;
            if (claim.metallb()) {
                judged = true; // no MetalLB announcer yet: every binding is foreign
                for (final VipRecord.Announcement a : vip.announcements()) {
                    if (a.announcer() != Announcer.KUBE_VIP && a.service().equals(claim.service())) {
                        owners.add(a.node());
                    }
                }
            } else if (claim.kubeVip()) {
                final List<String> holders = new ArrayList<>();
                if (claim.vipHost() != null) {
                    holders.add(claim.vipHost());
                }
                for (final VipRecord.Announcement a : vip.announcements()) {
                    if (a.announcer() == Announcer.KUBE_VIP && a.service().equals(claim.service())) {
                        holders.add(a.node());
                    }
                }
                judged = !holders.isEmpty(); // no holder known yet: not judged
                owners.addAll(holders);
            } else {
                judged = false;
            }
            if (judged && judgedService == null) {
                judgedService = claim.service();
            }
        }
        if (judgedService == null) {
            return Finding.NONE;
        }
        final List<String> foreign = new ArrayList<>();
        for (final VipRecord.Binding b : vip.bindings()) {
            if (!owners.contains(b.node())) {
                foreign.add(b.node());
            }
        }
        if (foreign.isEmpty()) {
            return Finding.NONE;
        }
        final StringBuilder hint = new StringBuilder();
        for (final String node : foreign) {
            final NodeRecord facts = nodes.apply(node);
            if (facts != null && facts.kubeVip() && facts.svcEnable()) {
                final VipRecord.Binding b = vip.binding(node);
                if (hint.length() > 0) {
                    hint.append(' ');
                }
                hint.append("kube-vip").append(facts.kubeVipPod() == null ? "" : " (pod " + facts.kubeVipPod() + ")")
                        .append(" on ").append(node)
                        .append(" runs with svc_enable=true, so it serves LoadBalancer Services there and bound ")
                        .append(vip.ip()).append('/').append(b.prefixLength()).append(" on ").append(b.iface())
                        .append(owners.isEmpty() ? "" : " while " + String.join(", ", owners) + " should answer for it")
                        .append("; set svc_enable: \"false\" in its manifest (static pod: /etc/kubernetes/manifests/kube-vip.yaml) to stop it.");
            }
        }
        return Finding.of(foreign, judgedService, hint.length() == 0 ? null : hint.toString());
    }

    private static Finding excludedOwner(final VipRecord vip, final Function<String, NodeRecord> nodes,
            final Finding foreignBinding, final String service) {
        if (vip.announcements().isEmpty()) {
            return Finding.NONE;
        }
        final TreeSet<String> excluded = new TreeSet<>();
        String why = null;
        for (final VipRecord.Announcement a : vip.announcements()) {
            if (foreignBinding.nodes().contains(a.node())) {
                continue; // FOREIGN_BINDING already names this node, with the better hint
            }
            final NodeRecord facts = nodes.apply(a.node());
            if (facts == null) {
                continue;
            }
            if (facts.excluded()) {
                excluded.add(a.node());
                why = "labeled node.kubernetes.io/exclude-from-external-load-balancers";
            } else if (a.announcer() != Announcer.KUBE_VIP && Boolean.FALSE.equals(facts.speakerEligible())) {
                excluded.add(a.node());
                why = why != null ? why : "outside the MetalLB speaker's node selection";
            }
        }
        if (excluded.isEmpty()) {
            return Finding.NONE;
        }
        return Finding.of(List.copyOf(excluded), service,
                String.join(", ", excluded) + " announce" + (excluded.size() == 1 ? "s " : " ") + vip.ip()
                        + " but " + (excluded.size() == 1 ? "is " : "are ") + why
                        + "; check the L2Advertisement nodeSelectors and the speaker's placement");
    }

    private static Finding orphaned(final VipRecord vip, final List<String> responders, final String service) {
        final String hint;
        if (!vip.bindings().isEmpty()) {
            final VipRecord.Binding b = vip.bindings().get(0);
            hint = vip.ip() + " stays bound on " + b.node() + " (" + b.iface() + ") but no Service claims it: a stale VIP;"
                    + " remove the address or find the controller that left it";
        } else {
            hint = "a speaker still announces " + vip.ip() + " but no Service claims it: a stale announcement";
        }
        return Finding.of(responders, service, hint);
    }
}
