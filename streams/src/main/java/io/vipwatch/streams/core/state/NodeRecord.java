package io.vipwatch.streams.core.state;

import java.util.List;

/** A node: its facts from the API server and its latest address snapshot from its agent. */
public final class NodeRecord {

    public final String name;

    // facts (vipwatch.nodes.v1)
    public boolean hasFacts;
    /** node.kubernetes.io/exclude-from-external-load-balancers. */
    public boolean excluded;
    /** Whether MetalLB's speaker may run there; null when unknown. */
    public Boolean speakerEligible;
    /** kube-vip runs there. */
    public boolean kubeVip;
    /** kube-vip's svc_enable. */
    public boolean svcEnable;
    /** namespace/name of the kube-vip pod, or null. */
    public String kubeVipPod;
    public String factsEventId;
    public long factsAt;

    // addresses (vipwatch.node-addresses.v1)
    public List<Address> addresses = List.of();
    public String addressesEventId;
    public long addressesAt;
    /** Each interface's MAC from the latest address snapshot (maps a MAC that answers on the wire to this node). */
    public List<Link> links = List.of();

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

    /** The address with this IP, or null. */
    public Address address(final String ip) {
        for (final Address a : addresses) {
            if (a.ip().equals(ip)) {
                return a;
            }
        }
        return null;
    }
}
