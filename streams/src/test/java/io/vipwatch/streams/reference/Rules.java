package io.vipwatch.streams.reference;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The rules table of docs/detection.md, one method per kind, from one VIP's claims, announcements, bindings and
 * responders (derived by {@link World#vip}) and the node facts. The "hint" of a finding is not its text but what
 * the text is made of: a change of it is an UPDATED, like a change of nodes or Service.
 */
final class Rules {

    static final String FOREIGN_BINDING = "FOREIGN_BINDING";
    static final String DUPLICATE_RESPONDERS = "DUPLICATE_RESPONDERS";
    static final String EXCLUDED_NODE_OWNER = "EXCLUDED_NODE_OWNER";
    static final String UNANNOUNCED = "UNANNOUNCED";
    static final String ORPHANED = "ORPHANED";
    static final String DUAL_CONTROLLER = "DUAL_CONTROLLER";
    static final String FLAPPING = "FLAPPING";
    static final String COLLECTOR_SILENT = "COLLECTOR_SILENT";

    /** The kinds with grace, in the order the document gives their precedence. */
    static final List<String> GRACE_KINDS = List.of(FOREIGN_BINDING, DUPLICATE_RESPONDERS, EXCLUDED_NODE_OWNER,
            UNANNOUNCED, ORPHANED, DUAL_CONTROLLER);

    /** What an alert says: an UPDATED is a change of this while the alert is open. */
    record Content(List<String> nodes, String service, Object hint) {
    }

    /** Whether a condition holds, and what its alert would say. */
    record Finding(boolean holds, Content content) {

        static final Finding NONE = new Finding(false, null);

        static Finding of(final List<String> nodes, final String service, final Object hint) {
            return new Finding(true, new Content(List.copyOf(nodes), service, hint));
        }

        List<String> nodes() {
            return holds ? content.nodes() : List.of();
        }
    }

    private Rules() {
    }

    /**
     * "The VIP's Service", where an alert names one and the kind does not say otherwise: the first claiming Service
     * by namespace/name; with no claim, the first Service (by name) with an announcement of the IP; else the last
     * claimant.
     */
    static String vipService(final World.Vip v, final String lastClaimant) {
        if (!v.claimants().isEmpty()) {
            return v.claimants().get(0);
        }
        final TreeSet<String> announcing = new TreeSet<>();
        v.announcements().forEach(a -> announcing.add(a.service()));
        return announcing.isEmpty() ? lastClaimant : announcing.first();
    }

    /** Expected owners per claimant; a binding no judged claimant expects is foreign. */
    static Finding foreignBinding(final World w, final World.Vip v) {
        if (v.claimants().isEmpty() || v.bindings().isEmpty()) {
            return Finding.NONE;
        }
        final TreeSet<String> owners = new TreeSet<>();
        String judgedBy = null;
        for (final String claimant : v.claimants()) {
            final Set<String> own = new TreeSet<>();
            final boolean judged;
            if (w.metallbSign(claimant)) {
                for (final World.VipAnnouncement a : v.announcements()) {
                    if (a.service().equals(claimant) && !a.announcer().equals(World.KUBE_VIP)) {
                        own.add(a.node());
                    }
                }
                judged = true; // none yet: every binding is foreign
            } else if (w.kubeVipSign(claimant)) {
                final String vipHost = w.services.get(claimant).vipHost();
                if (vipHost != null) {
                    own.add(vipHost);
                }
                for (final World.VipAnnouncement a : v.announcements()) {
                    if (a.service().equals(claimant) && a.announcer().equals(World.KUBE_VIP)) {
                        own.add(a.node());
                    }
                }
                judged = !own.isEmpty(); // while no holder is known, bindings are not judged
            } else {
                judged = false; // no sign at all: it has no announcements either
            }
            if (judged) {
                owners.addAll(own);
                if (judgedBy == null) {
                    judgedBy = claimant;
                }
            }
        }
        if (judgedBy == null) {
            return Finding.NONE;
        }
        final List<String> foreign = new ArrayList<>();
        final List<List<Object>> kubeVipCause = new ArrayList<>();
        for (final Map.Entry<String, World.Address> b : v.bindings().entrySet()) {
            if (!owners.contains(b.getKey())) {
                foreign.add(b.getKey());
                final World.Facts f = w.facts(b.getKey());
                if (f != null && f.kubeVip() && f.svcEnable()) {
                    kubeVipCause.add(List.of(b.getKey(), String.valueOf(f.pod()), b.getValue().prefix(),
                            b.getValue().iface()));
                }
            }
        }
        if (foreign.isEmpty()) {
            return Finding.NONE;
        }
        return Finding.of(foreign, judgedBy, kubeVipCause.isEmpty() ? null : List.of(kubeVipCause, List.copyOf(owners)));
    }

    static Finding duplicateResponders(final World.Vip v, final Finding foreignBinding, final String lastClaimant) {
        if (v.responders().size() < 2 || foreignBinding.holds()) {
            return Finding.NONE;
        }
        return Finding.of(v.responders(), vipService(v, lastClaimant), null);
    }

    static Finding excludedNodeOwner(final World w, final World.Vip v, final Finding foreignBinding,
            final String lastClaimant) {
        final TreeSet<String> excluded = new TreeSet<>();
        boolean labelled = false;
        for (final World.VipAnnouncement a : v.announcements()) {
            if (foreignBinding.nodes().contains(a.node())) {
                continue;
            }
            final World.Facts f = w.facts(a.node());
            if (f == null) {
                continue;
            }
            if (f.excluded()) {
                excluded.add(a.node());
                labelled = true;
            } else if (!a.announcer().equals(World.KUBE_VIP) && Boolean.FALSE.equals(f.speakerEligible())) {
                excluded.add(a.node());
            }
        }
        if (excluded.isEmpty()) {
            return Finding.NONE;
        }
        return Finding.of(List.copyOf(excluded), vipService(v, lastClaimant), labelled ? "label" : "node selection");
    }

    static Finding unannounced(final World.Vip v) {
        if (v.claimants().isEmpty() || !v.responders().isEmpty()) {
            return Finding.NONE;
        }
        for (final World.VipAnnouncement a : v.announcements()) {
            if (a.announcer().equals(World.BGP)) {
                return Finding.NONE;
            }
        }
        return Finding.of(List.of(), v.claimants().get(0), null);
    }

    static Finding orphaned(final World.Vip v, final String lastClaimant) {
        if (!v.claimants().isEmpty() || v.responders().isEmpty()) {
            return Finding.NONE;
        }
        final Object hint;
        if (v.bindings().isEmpty()) {
            hint = "announced";
        } else {
            final Map.Entry<String, World.Address> first = v.bindings().entrySet().iterator().next();
            hint = List.of("bound", first.getKey(), first.getValue().iface());
        }
        return Finding.of(v.responders(), vipService(v, lastClaimant), hint);
    }

    static Finding dualController(final World w, final World.Vip v, final boolean foreignBindingHoldsOrOpen) {
        if (foreignBindingHoldsOrOpen) {
            return Finding.NONE;
        }
        for (final String claimant : v.claimants()) {
            final World.Service s = w.services.get(claimant);
            if (s.pool() != null && (s.vipHost() != null || s.kubeVipClass())) {
                return Finding.of(s.vipHost() == null ? List.of() : List.of(s.vipHost()), claimant,
                        List.of(s.pool(), String.valueOf(s.vipHost())));
            }
        }
        return Finding.NONE;
    }
}
