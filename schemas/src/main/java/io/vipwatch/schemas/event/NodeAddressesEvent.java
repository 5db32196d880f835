package io.vipwatch.schemas.event;

import java.util.List;

/** A node's full set of global addresses: a snapshot, never a delta. {@code deleted}: the node is gone. */
public record NodeAddressesEvent(
        String cluster,
        long observedAt,
        String source,
        String eventId,
        String node,
        List<Address> addresses,
        boolean deleted) implements InputEvent {

    public static final String TYPE = "node-addresses";

    /** One address on one interface; the IP in canonical text. */
    public record Address(String iface, String ip, int prefixLength) {
    }

    public NodeAddressesEvent {
        addresses = addresses == null ? List.of() : List.copyOf(addresses);
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
