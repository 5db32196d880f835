package io.vipwatch.streams.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.schemas.event.ServiceChange;
import io.vipwatch.streams.core.state.ClusterRecord;
import io.vipwatch.streams.core.state.ServiceRecord;
import io.vipwatch.streams.core.state.VipRecord;

/** {@link InputApplier}'s section for Services: a Service's ingress IPs become claims on their VIPs. */
final class ServiceApplier {

    /** Annotations by which MetalLB records an allocation (current and pre-0.13 prefix). */
    static final String[] METALLB_POOL_ANNOTATIONS = {"metallb.io/ip-allocated-from-pool",
        "metallb.universe.tf/ip-allocated-from-pool"};
    static final String KUBE_VIP_PREFIX = "kube-vip.io/";
    static final String KUBE_VIP_HOST = "kube-vip.io/vipHost";
    static final String KUBE_VIP_CLASS = "kube-vip.io/kube-vip-class";

    private final DetectionState state;
    private final InputApplier applier;

    ServiceApplier(final DetectionState state, final InputApplier applier) {
        this.state = state;
        this.applier = applier;
    }

    void apply(final ClusterRecord c, final ServiceChange e, final long t) {
        final String cluster = c.cluster();
        ServiceRecord s = state.services().get(cluster, e.service());
        if (e.op() == ServiceChange.Op.DELETE) {
            if (s == null || !s.exists()) {
                return;
            }
            final List<String> released = s.ingressIps();
            // announcements naming no IP mean "the Service's IPs": none while it is gone; they are kept (until
            // withdrawn) so that a DELETE and an ANNOUNCE of the same millisecond agree in either order
            s.delete();
            for (final String ip : released) {
                final VipRecord vip = state.vips().get(cluster, ip);
                if (vip != null) {
                    vip.removeClaim(s.name());
                    AnnouncementApplier.removeIplessAnnouncements(s, vip, ip);
                    applier.touch(c, vip, e);
                }
            }
            if (s.announcements().isEmpty()) {
                state.services().remove(cluster, s.name());
            } else {
                state.services().put(cluster, s);
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
        if (s.says(ips, pool, annotated, kubeVipClass, vipHost)) {
            return; // a resend of what we know
        }
        final List<String> old = s.exists() ? s.ingressIps() : List.of();
        s.update(ips, pool, annotated, kubeVipClass, vipHost, e.eventId(), t);
        for (final String ip : old) {
            if (!ips.contains(ip)) {
                final VipRecord vip = state.vips().get(cluster, ip);
                if (vip != null) {
                    vip.removeClaim(s.name());
                    AnnouncementApplier.removeIplessAnnouncements(s, vip, ip);
                    applier.touch(c, vip, e);
                }
            }
        }
        for (final String ip : ips) {
            if (!old.contains(ip)) {
                final VipRecord vip = applier.ensureVip(c, ip, t);
                for (final ServiceRecord.Announcement a : s.announcements()) {
                    if (a.vip() == null) {
                        vip.addAnnouncement(new VipRecord.Announcement(a.node(), a.announcer(), s.name(), a.since(),
                                a.eventId()));
                    }
                }
                vip.putClaim(claim(s, t, e.eventId()));
                applier.touch(c, vip, e);
            }
        }
        refreshClaims(c, s, e);
        state.services().put(cluster, s);
    }

    private static VipRecord.Claim claim(final ServiceRecord s, final long since, final String eventId) {
        return new VipRecord.Claim(s.name(), s.metallb(), s.kubeVip(), s.kubeVipMarker(), s.vipHost(),
                s.metallbPool(), since, eventId);
    }

    /** Brings the claims of a Service's VIPs in line with its current controller signs. */
    void refreshClaims(final ClusterRecord c, final ServiceRecord s, final InputEvent cause) {
        if (!s.exists()) {
            return;
        }
        for (final String ip : s.ingressIps()) {
            final VipRecord vip = state.vips().get(c.cluster(), ip);
            if (vip == null) {
                continue;
            }
            for (int i = 0; i < vip.claims().size(); i++) {
                final VipRecord.Claim old = vip.claims().get(i);
                if (old.service().equals(s.name())) {
                    final VipRecord.Claim now = claim(s, old.since(), old.eventId());
                    if (!now.equals(old)) {
                        vip.replaceClaim(i, new VipRecord.Claim(s.name(), now.metallb(), now.kubeVip(),
                                now.kubeVipMarker(), now.vipHost(), now.pool(), old.since(), s.eventId()));
                        applier.touch(c, vip, cause);
                    }
                }
            }
        }
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
