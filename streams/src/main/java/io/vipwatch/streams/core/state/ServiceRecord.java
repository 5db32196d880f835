package io.vipwatch.streams.core.state;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

import io.vipwatch.streams.core.vocabulary.Announcer;

/**
 * A Service as far as VIP ownership goes: the IPs its ingress claims, the controller signs it shows, and
 * the announcements speakers make for it (announcements are keyed by Service and may name no IP: then
 * they apply to every ingress IP).
 */
public final class ServiceRecord {

    private static final Comparator<Announcement> ORDER = Comparator.comparing(Announcement::node)
            .thenComparing(Announcement::announcer)
            .thenComparing(a -> a.vip() == null ? "" : a.vip());

    /** namespace/name. */
    private final String name;
    /** False for a placeholder (announcements seen before the Service) or a deleted Service kept for its announcements. */
    private boolean exists;
    /** status.loadBalancer.ingress IPs, canonical, de-duplicated, in the order given. */
    private List<String> ingressIps = List.of();
    /** The MetalLB pool of a MetalLB allocation annotation, "" when the annotation has no value; null without one. */
    private String metallbPool;
    /** loadBalancerClass is kube-vip's. */
    private boolean kubeVipClass;
    /** Any kube-vip.io/* annotation. */
    private boolean kubeVipAnnotated;
    /** kube-vip.io/vipHost: the node kube-vip says holds the VIP. */
    private String vipHost;
    /** When the ingress first held an IP. */
    private long since;
    private String eventId;
    /** The announcements for this Service, one per (announcer, node, vip), sorted by (node, announcer, vip). */
    private final List<Announcement> announcements = new ArrayList<>(0);

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

    /** namespace/name. */
    public String name() {
        return name;
    }

    /** False for a placeholder (announcements seen before the Service) or a deleted Service kept for its announcements. */
    public boolean exists() {
        return exists;
    }

    /** status.loadBalancer.ingress IPs, canonical, de-duplicated, in the order given (read only). */
    public List<String> ingressIps() {
        return ingressIps;
    }

    /** The MetalLB pool of a MetalLB allocation annotation, "" when the annotation has no value; null without one. */
    public String metallbPool() {
        return metallbPool;
    }

    /** loadBalancerClass is kube-vip's. */
    public boolean kubeVipClass() {
        return kubeVipClass;
    }

    /** Any kube-vip.io/* annotation. */
    public boolean kubeVipAnnotated() {
        return kubeVipAnnotated;
    }

    /** kube-vip.io/vipHost: the node kube-vip says holds the VIP. */
    public String vipHost() {
        return vipHost;
    }

    /** When the ingress first held an IP. */
    public long since() {
        return since;
    }

    public String eventId() {
        return eventId;
    }

    /**
     * The announcements for this Service, sorted by (node, announcer, vip) (read only: {@link #addAnnouncement},
     * {@link #removeAnnouncements}).
     */
    public List<Announcement> announcements() {
        return announcements;
    }

    /** It exists and says exactly this (a resend). */
    public boolean says(final List<String> ingressIps, final String metallbPool, final boolean kubeVipAnnotated,
            final boolean kubeVipClass, final String vipHost) {
        return exists && this.ingressIps.equals(ingressIps) && Objects.equals(metallbPool, this.metallbPool)
                && kubeVipAnnotated == this.kubeVipAnnotated && kubeVipClass == this.kubeVipClass
                && Objects.equals(vipHost, this.vipHost);
    }

    /**
     * The Service as the event {@code eventId} at {@code t} shows it; {@link #since()} becomes {@code t} when its
     * ingress goes from no IP to some.
     */
    public void update(final List<String> ingressIps, final String metallbPool, final boolean kubeVipAnnotated,
            final boolean kubeVipClass, final String vipHost, final String eventId, final long t) {
        final List<String> old = exists ? this.ingressIps : List.of();
        this.exists = true;
        this.metallbPool = Names.intern(metallbPool);
        this.kubeVipAnnotated = kubeVipAnnotated;
        this.kubeVipClass = kubeVipClass;
        this.vipHost = Names.intern(vipHost);
        this.eventId = eventId;
        if (old.isEmpty() && !ingressIps.isEmpty()) {
            this.since = t;
        }
        this.ingressIps = ingressIps;
    }

    /** The Service is deleted: it has no IPs; its announcements stay until they are withdrawn. */
    public void delete() {
        exists = false;
        ingressIps = List.of();
    }

    /** Adds an announcement, keeping them sorted. */
    public void addAnnouncement(final Announcement a) {
        announcements.add(a);
        announcements.sort(ORDER);
    }

    /** Removes these announcements. */
    public void removeAnnouncements(final List<Announcement> withdrawn) {
        announcements.removeAll(withdrawn);
    }

    /** Every field but the announcements as stored ({@link StateCodec}, golden state). */
    void restore(final boolean exists, final List<String> ingressIps, final String metallbPool,
            final boolean kubeVipClass, final boolean kubeVipAnnotated, final String vipHost, final long since,
            final String eventId) {
        this.exists = exists;
        this.ingressIps = ingressIps;
        this.metallbPool = metallbPool;
        this.kubeVipClass = kubeVipClass;
        this.kubeVipAnnotated = kubeVipAnnotated;
        this.vipHost = vipHost;
        this.since = since;
        this.eventId = eventId;
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
