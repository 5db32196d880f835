package io.vipwatch.streams.core.state;

import java.util.List;
import java.util.Objects;

/** A node: its facts from the API server and its latest address snapshot from its agent. */
public final class NodeRecord {

    private final String name;

    // facts (vipwatch.nodes.v1)
    private boolean hasFacts;
    /** node.kubernetes.io/exclude-from-external-load-balancers. */
    private boolean excluded;
    /** Whether MetalLB's speaker may run there; null when unknown. */
    private Boolean speakerEligible;
    /** kube-vip runs there. */
    private boolean kubeVip;
    /** kube-vip's svc_enable. */
    private boolean svcEnable;
    /** namespace/name of the kube-vip pod, or null. */
    private String kubeVipPod;
    private String factsEventId;
    private long factsAt;

    // addresses (vipwatch.node-addresses.v1)
    private List<Address> addresses = List.of();
    private String addressesEventId;
    private long addressesAt;
    /** Each interface's MAC from the latest address snapshot (maps a MAC that answers on the wire to this node). */
    private List<Link> links = List.of();

    /** One global address. */
    public record Address(String ip, String iface, int prefixLength) {

        public Address {
            iface = Names.intern(iface);
        }
    }

    /** One interface's link-layer address, canonical text. */
    public record Link(String iface, String mac) {

        public Link {
            iface = Names.intern(iface);
        }
    }

    public NodeRecord(final String name) {
        this.name = Names.intern(name);
    }

    public String name() {
        return name;
    }

    /** Its facts came (vipwatch.nodes.v1). */
    public boolean hasFacts() {
        return hasFacts;
    }

    /** node.kubernetes.io/exclude-from-external-load-balancers. */
    public boolean excluded() {
        return excluded;
    }

    /** Whether MetalLB's speaker may run there; null when unknown. */
    public Boolean speakerEligible() {
        return speakerEligible;
    }

    /** kube-vip runs there. */
    public boolean kubeVip() {
        return kubeVip;
    }

    /** kube-vip's svc_enable. */
    public boolean svcEnable() {
        return svcEnable;
    }

    /** namespace/name of the kube-vip pod, or null. */
    public String kubeVipPod() {
        return kubeVipPod;
    }

    public String factsEventId() {
        return factsEventId;
    }

    public long factsAt() {
        return factsAt;
    }

    /** The global addresses of the latest snapshot (read only). */
    public List<Address> addresses() {
        return addresses;
    }

    public String addressesEventId() {
        return addressesEventId;
    }

    public long addressesAt() {
        return addressesAt;
    }

    /** Each interface's MAC from the latest address snapshot (read only). */
    public List<Link> links() {
        return links;
    }

    /** It has facts, and they are these. */
    public boolean hasFacts(final boolean excluded, final Boolean speakerEligible, final boolean kubeVip,
            final boolean svcEnable, final String kubeVipPod) {
        return hasFacts && this.excluded == excluded && Objects.equals(this.speakerEligible, speakerEligible)
                && this.kubeVip == kubeVip && this.svcEnable == svcEnable && Objects.equals(this.kubeVipPod, kubeVipPod);
    }

    /** Its facts, from the event {@code eventId} applied at {@code at}. */
    public void setFacts(final boolean excluded, final Boolean speakerEligible, final boolean kubeVip,
            final boolean svcEnable, final String kubeVipPod, final String eventId, final long at) {
        restoreFacts(true, excluded, speakerEligible, kubeVip, svcEnable, kubeVipPod, eventId, at);
    }

    /** Its address snapshot (kept as given), from the event {@code eventId} applied at {@code at}. */
    public void setAddresses(final List<Address> addresses, final String eventId, final long at) {
        this.addresses = addresses;
        this.addressesEventId = eventId;
        this.addressesAt = at;
    }

    /** Its interfaces' MACs (kept as given). */
    public void setLinks(final List<Link> links) {
        this.links = links;
    }

    /** The address with this IP, or null. */
    public Address address(final String ip) {
        for (final Address a : addresses) {
            if (a.ip().equals(ip)) {
                return a;
            }
        }
        return null;
    }

    /** The facts as stored ({@link StateCodec}), with or without any. */
    void restoreFacts(final boolean hasFacts, final boolean excluded, final Boolean speakerEligible,
            final boolean kubeVip, final boolean svcEnable, final String kubeVipPod, final String eventId,
            final long at) {
        this.hasFacts = hasFacts;
        this.excluded = excluded;
        this.speakerEligible = speakerEligible;
        this.kubeVip = kubeVip;
        this.svcEnable = svcEnable;
        this.kubeVipPod = kubeVipPod;
        this.factsEventId = eventId;
        this.factsAt = at;
    }
}
