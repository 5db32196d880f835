package io.vipwatch.collector.probe;

import java.util.List;

import io.vipwatch.collector.publish.Provenance;
import io.vipwatch.schemas.event.WireObservation;

/** What a probe heard, as the input event the node agent publishes ({@code vipwatch.wire.v1}, a {@code wire} line). */
public final class WireObservations {

    private WireObservations() {
    }

    /** The observation of prober {@code node}, stamped when its window closed. */
    public static WireObservation event(final Provenance provenance, final String node,
            final WireProbing.Result result) {
        return new WireObservation(provenance.cluster(), result.observedAt(), provenance.source(),
                provenance.newEventId(), node, result.iface(), result.ip(), List.copyOf(result.macs()),
                result.windowMs());
    }
}
