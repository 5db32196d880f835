package io.vipwatch.streams.core;

import java.util.ArrayList;
import java.util.List;

import io.vipwatch.schemas.event.AnnouncementChange;
import io.vipwatch.streams.core.state.ClusterRecord;
import io.vipwatch.streams.core.state.ServiceRecord;
import io.vipwatch.streams.core.state.VipRecord;
import io.vipwatch.streams.core.vocabulary.Announcer;

/**
 * {@link InputApplier}'s section for announcements: a speaker's announcement of a Service (of one of its IPs, or of
 * all of them) becomes announcements on the VIPs it targets.
 */
final class AnnouncementApplier {

    private final DetectionState state;
    private final InputApplier applier;
    private final ServiceApplier services;

    AnnouncementApplier(final DetectionState state, final InputApplier applier, final ServiceApplier services) {
        this.state = state;
        this.applier = applier;
        this.services = services;
    }

    void apply(final ClusterRecord c, final AnnouncementChange e, final long t) {
        final String cluster = c.cluster();
        ServiceRecord s = state.services().get(cluster, e.service());
        if (s == null) {
            s = new ServiceRecord(e.service()); // the Service may follow: keep the announcement for it
        }
        final Announcer announcer = announcer(e.announcer());
        if (e.op() == AnnouncementChange.Op.ANNOUNCE) {
            for (final ServiceRecord.Announcement a : s.announcements()) {
                if (a.sameTarget(announcer, e.node(), e.vip())) {
                    return; // a resend
                }
            }
            final ServiceRecord.Announcement a = new ServiceRecord.Announcement(announcer, e.node(), e.vip(), t,
                    e.eventId());
            s.addAnnouncement(a);
            for (final String ip : s.targets(a)) {
                final VipRecord vip = a.vip() != null ? applier.ensureVip(c, ip, t) : state.vips().get(cluster, ip);
                if (vip != null) {
                    vip.addAnnouncement(new VipRecord.Announcement(e.node(), announcer, s.name(), t, e.eventId()));
                    applier.touch(c, vip, e);
                }
            }
        } else {
            final List<ServiceRecord.Announcement> removed = new ArrayList<>();
            for (final ServiceRecord.Announcement a : s.announcements()) {
                if (a.announcer() == announcer && a.node().equals(e.node())
                        && (e.vip() == null || e.vip().equals(a.vip()))) {
                    removed.add(a);
                }
            }
            if (removed.isEmpty()) {
                return;
            }
            s.removeAnnouncements(removed);
            for (final ServiceRecord.Announcement a : removed) {
                for (final String ip : s.targets(a)) {
                    if (stillAnnounced(s, announcer, e.node(), ip)) {
                        continue;
                    }
                    final VipRecord vip = state.vips().get(cluster, ip);
                    if (vip != null) {
                        vip.removeAnnouncement(e.node(), announcer, s.name());
                        applier.touch(c, vip, e);
                    }
                }
            }
        }
        services.refreshClaims(c, s, e);
        if (!s.exists() && s.announcements().isEmpty()) {
            state.services().remove(cluster, s.name());
        } else {
            state.services().put(cluster, s);
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
    static void removeIplessAnnouncements(final ServiceRecord s, final VipRecord vip, final String ip) {
        for (final ServiceRecord.Announcement a : s.announcements()) {
            if (a.vip() == null && !stillAnnounced(s, a.announcer(), a.node(), ip)) {
                vip.removeAnnouncement(a.node(), a.announcer(), s.name());
            }
        }
    }

    private static boolean stillAnnounced(final ServiceRecord s, final Announcer announcer, final String node,
            final String ip) {
        for (final ServiceRecord.Announcement a : s.announcements()) {
            if (a.announcer() == announcer && a.node().equals(node) && s.targets(a).contains(ip)) {
                return true;
            }
        }
        return false;
    }

}
