package io.vipwatch.schemas.event;

import java.util.List;

import io.vipwatch.schemas.Macs;

/**
 * What the wire said when prober {@code node} asked on {@code iface} who holds {@code ip} (ARP for IPv4, an NDP
 * neighbour solicitation for IPv6): the MACs that answered within {@code windowMs}, empty when none did. The MACs
 * are kept distinct and sorted, so two observations of the same answer are equal.
 */
public record WireObservation(
        String cluster,
        long observedAt,
        String source,
        String eventId,
        String node,
        String iface,
        String ip,
        List<String> macs,
        long windowMs) implements InputEvent {

    public static final String TYPE = "wire";
    public static final long DEFAULT_WINDOW_MS = 1000;

    public WireObservation {
        macs = Macs.sortedDistinct(macs);
    }

    /** True when no MAC answered within the window. */
    public boolean silent() {
        return macs.isEmpty();
    }

    @Override
    public String key() {
        return cluster + "/" + ip;
    }

    @Override
    public String type() {
        return TYPE;
    }
}
