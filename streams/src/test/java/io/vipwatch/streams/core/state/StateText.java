package io.vipwatch.streams.core.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.vipwatch.streams.core.vocabulary.AlertKind;

/**
 * Every field of a state record as one line of text, independent of how the record holds it (an absent
 * collection and an empty one read the same): two records with the same text are the same state.
 */
final class StateText {

    private StateText() {
    }

    static String of(final ClusterRecord r) {
        return "cluster=" + r.cluster() + " clock=" + r.clock() + " lastAdvanceWall=" + r.lastAdvanceWall() + " dirty="
                + new ArrayList<>(r.dirty()) + " deletedNodes=" + new ArrayList<>(r.deletedNodes());
    }

    static String of(final ServiceRecord r) {
        final List<String> announcements = new ArrayList<>();
        for (final ServiceRecord.Announcement a : r.announcements()) {
            announcements.add("(" + a.announcer().name() + " " + a.node() + " " + a.vip() + " " + a.since() + " "
                    + a.eventId() + ")");
        }
        return "name=" + r.name() + " exists=" + r.exists() + " ingressIps=" + r.ingressIps() + " metallbPool="
                + r.metallbPool() + " kubeVipClass=" + r.kubeVipClass() + " kubeVipAnnotated=" + r.kubeVipAnnotated()
                + " vipHost=" + r.vipHost() + " since=" + r.since() + " eventId=" + r.eventId() + " announcements="
                + announcements;
    }

    static String of(final NodeRecord r) {
        final List<String> addresses = new ArrayList<>();
        for (final NodeRecord.Address a : r.addresses()) {
            addresses.add("(" + a.ip() + " " + a.iface() + " " + a.prefixLength() + ")");
        }
        return "name=" + r.name() + " hasFacts=" + r.hasFacts() + " excluded=" + r.excluded() + " speakerEligible="
                + r.speakerEligible() + " kubeVip=" + r.kubeVip() + " svcEnable=" + r.svcEnable() + " kubeVipPod="
                + r.kubeVipPod() + " factsEventId=" + r.factsEventId() + " factsAt=" + r.factsAt() + " addresses="
                + addresses + " addressesEventId=" + r.addressesEventId() + " addressesAt=" + r.addressesAt()
                + (r.links().isEmpty() ? "" : " links=" + r.links()); // since format 3; none before
    }

    static String of(final SourceRecord r) {
        return "source=" + r.source() + " node=" + r.node() + " lastHeartbeat=" + r.lastHeartbeat() + " lastEventId="
                + r.lastEventId() + " wakeAt=" + r.wakeAt() + " silent=" + of(r.silent());
    }

    static String of(final VipRecord r) {
        final List<String> claims = new ArrayList<>();
        for (final VipRecord.Claim c : r.claims()) {
            claims.add("(" + c.service() + " " + c.metallb() + " " + c.kubeVip() + " " + c.kubeVipMarker() + " "
                    + c.vipHost() + " " + c.pool() + " " + c.since() + " " + c.eventId() + ")");
        }
        final List<String> announcements = new ArrayList<>();
        for (final VipRecord.Announcement a : r.announcements()) {
            announcements.add("(" + a.node() + " " + a.announcer().name() + " " + a.service() + " " + a.since() + " "
                    + a.eventId() + ")");
        }
        final List<String> bindings = new ArrayList<>();
        for (final VipRecord.Binding b : r.bindings()) {
            bindings.add("(" + b.node() + " " + b.iface() + " " + b.prefixLength() + " " + b.since() + " "
                    + b.eventId() + ")");
        }
        return "ip=" + r.ip() + " lastService=" + r.lastService() + " claims=" + claims + " announcements="
                + announcements + " bindings=" + bindings + " responders=" + r.responders() + " updatedAt="
                + r.updatedAt() + " conditions=" + conditions(r) + " penalty="
                + String.format(Locale.ROOT, "%s", r.penalty()) + " penaltyAt=" + r.penaltyAt() + " groupStart="
                + r.groupStart() + " groupLast=" + r.groupLast() + " flapNodes=" + new ArrayList<>(r.flapNodes())
                + " wakeAt=" + r.wakeAt() + " cause=" + r.causeType() + "/" + r.causeKey() + "/" + r.causeEventId() + "/"
                + r.causeSource() + "/" + r.causeAt()
                + (r.probes().isEmpty() ? "" : " probes=" + r.probes()); // since format 3; none before
    }

    private static String conditions(final VipRecord r) {
        final List<String> out = new ArrayList<>();
        for (final AlertKind kind : AlertKind.values()) {
            if (r.condition(kind) != null) {
                out.add(kind.name() + ":" + of(r.condition(kind)));
            }
        }
        return out.toString();
    }

    static String of(final Condition c) {
        return "{activeSince=" + c.activeSince() + " inactiveSince=" + c.inactiveSince() + " open=" + c.isOpen()
                + " openedAt=" + c.openedAt() + " seq=" + c.seq() + " nodes=" + c.nodes() + " service=" + c.service()
                + " hint=" + c.hint() + "}";
    }
}
