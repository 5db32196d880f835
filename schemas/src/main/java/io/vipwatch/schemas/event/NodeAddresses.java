package io.vipwatch.schemas.event;

import java.util.List;

/**
 * A node's full set of global addresses: a snapshot, never a delta. {@code deleted}: the node is gone.
 * {@code links}: each interface's MAC (empty from agents that predate it).
 */
public record NodeAddresses(
        String cluster,
        long observedAt,
        String source,
        String eventId,
        String node,
        List<Address> addresses,
        boolean deleted,
        List<Link> links) implements InputEvent {

    public static final String TYPE = "node-addresses";

    /** One address on one interface; the IP in canonical text. */
    public record Address(String iface, String ip, int prefixLength) {
    }

    /** One interface's link-layer address, in canonical text ({@link io.vipwatch.schemas.Macs}). */
    public record Link(String iface, String mac) {
    }

    public NodeAddresses {
        addresses = addresses == null ? List.of() : List.copyOf(addresses);
        links = links == null ? List.of() : List.copyOf(links);
    }

    /** A snapshot without link-layer addresses. */
    public NodeAddresses(final String cluster, final long observedAt, final String source, final String eventId,
            final String node, final List<Address> addresses, final boolean deleted) {
        this(cluster, observedAt, source, eventId, node, addresses, deleted, List.of());
    }

    @Override
    public String key() {
        return cluster + "/" + node;
    }

    @Override
    public String type() {
        return TYPE;
    }
}
