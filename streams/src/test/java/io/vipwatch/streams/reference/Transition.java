package io.vipwatch.streams.reference;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * What the reference model and the core are compared on: one alert transition's state, kind, cluster, VIP
 * (null for COLLECTOR_SILENT), nodes, Service and time.
 */
public record Transition(String state, String kind, String cluster, String vip, List<String> nodes, String service,
        long at) {

    /** A total order that does not depend on the order transitions of one moment were emitted in. */
    public static final Comparator<Transition> ORDER = Comparator.comparingLong(Transition::at)
            .thenComparing(Transition::cluster)
            .thenComparing(t -> t.vip() == null ? "" : t.vip())
            .thenComparing(Transition::kind)
            .thenComparing(Transition::state)
            .thenComparing(t -> String.valueOf(t.nodes()))
            .thenComparing(t -> String.valueOf(t.service()));

    public Transition {
        nodes = List.copyOf(nodes);
    }

    @Override
    public String toString() {
        return Instant.ofEpochMilli(at) + " " + state + " " + kind + " " + cluster + " " + vip + " " + nodes + " "
                + service;
    }
}
