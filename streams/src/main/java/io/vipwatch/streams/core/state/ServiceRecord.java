package io.vipwatch.streams.core.state;

import java.util.ArrayList;
import java.util.List;

import io.vipwatch.streams.core.vocabulary.Announcer;

/**
 * A Service as far as VIP ownership goes: the IPs its ingress claims, the controller signs it shows, and
 * the announcements speakers make for it (announcements are keyed by Service and may name no IP: then
 * they apply to every ingress IP).
 */
public final class ServiceRecord {

    /** namespace/name. */
    public final String name;
    /** False for a placeholder (announcements seen before the Service) or a deleted Service kept for its announcements. */
    public boolean exists;
    /** status.loadBalancer.ingress IPs, canonical, de-duplicated, in the order given. */
    public List<String> ingressIps = List.of();
    /** The MetalLB pool of a MetalLB allocation annotation, "" when the annotation has no value; null without one. */
    public String metallbPool;
    /** loadBalancerClass is kube-vip's. */
    public boolean kubeVipClass;
    /** Any kube-vip.io/* annotation. */
    public boolean kubeVipAnnotated;
    /** kube-vip.io/vipHost: the node kube-vip says holds the VIP. */
    public String vipHost;
    /** When the ingress first held an IP. */
    public long since;
    public String eventId;
    /** The announcements for this Service, one per (announcer, node, vip). */
    public final List<Announcement> announcements = new ArrayList<>(0);

    /** One speaker's announcement for this Service; {@code vip} null means "the Service's ingress IPs". */
    public record Announcement(Announcer announcer, String node, String vip, long since, String eventId) {

        public Announcement {
            node = Names.intern(node);
        }

        public boolean sameTarget(final Announcer otherAnnouncer, final String otherNode, final String otherVip) {
            return announcer == otherAnnouncer && node.equals(otherNode)
                    && (vip == null ? otherVip == null : vip.equals(otherVip));
        }
    }

    public ServiceRecord(final String name) {
        this.name = name;
    }

    /** MetalLB handles it: an allocation annotation, or any MetalLB announcement. */
    public boolean metallb() {
        if (metallbPool != null) {
            return true;
        }
        for (final Announcement a : announcements) {
            if (a.announcer() != Announcer.KUBE_VIP) {
                return true;
            }
        }
        return false;
    }

    /** kube-vip shows through: its class, any of its annotations, or a kube-vip announcement. */
    public boolean kubeVip() {
        if (kubeVipClass || kubeVipAnnotated) {
            return true;
        }
        for (final Announcement a : announcements) {
            if (a.announcer() == Announcer.KUBE_VIP) {
                return true;
            }
        }
        return false;
    }

    /** A kube-vip marker in the sense of DUAL_CONTROLLER: kube-vip.io/vipHost or kube-vip's class. */
    public boolean kubeVipMarker() {
        return vipHost != null || kubeVipClass;
    }

    /** The IPs an announcement applies to. */
    public List<String> targets(final Announcement a) {
        return a.vip() != null ? List.of(a.vip()) : ingressIps;
    }
}
