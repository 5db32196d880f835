package io.vipwatch.collector.probe;

import io.vipwatch.collector.publish.Provenance;
import io.vipwatch.schemas.event.InputEvent;

/** Placeholder until the WireObservation schema lands. */
public final class WireObservations {

    private WireObservations() {
    }

    public static InputEvent event(final Provenance provenance, final String node, final WireProbing.Result result) {
        throw new UnsupportedOperationException("the wire schema is not merged yet");
    }
}
