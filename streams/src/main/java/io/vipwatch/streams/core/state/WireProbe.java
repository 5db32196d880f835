package io.vipwatch.streams.core.state;

import java.util.List;

/**
 * One prober's latest observation of a VIP on the wire (docs/detection.md, "Wire truth"): prober {@code node} asked
 * on {@code iface} at {@code at} (the cluster's event time) who holds the VIP, and {@code macs} answered (sorted,
 * canonical; empty: nobody did).
 */
public record WireProbe(String node, String iface, List<String> macs, long at, String eventId, String source) {

    public WireProbe {
        node = Names.intern(node);
        iface = Names.intern(iface);
        source = Names.intern(source);
        macs = List.copyOf(macs);
    }
}
