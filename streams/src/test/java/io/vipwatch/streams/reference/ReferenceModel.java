package io.vipwatch.streams.reference;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.vipwatch.schemas.event.InputEvent;

/**
 * A deliberately simple, slow reading of docs/detection.md, written from the document as a reviewer would and
 * sharing no code with the detection core beyond the input event types: each cluster on its own
 * ({@link ClusterModel}), every VIP judged from scratch ({@link World#vip}, {@link Rules}) at every moment
 * with events. The property {@code ReferenceModelPropertyTest} holds the core to it.
 */
public final class ReferenceModel {

    private ReferenceModel() {
    }

    /** Every alert transition the document asks for, over events in recording order, up to each cluster's last event. */
    public static List<Transition> run(final Tunables tunables, final List<InputEvent> events) {
        final Map<String, List<InputEvent>> byCluster = new LinkedHashMap<>();
        for (final InputEvent e : events) {
            byCluster.computeIfAbsent(e.cluster(), c -> new ArrayList<>()).add(e);
        }
        final List<Transition> out = new ArrayList<>();
        byCluster.forEach((cluster, own) -> out.addAll(new ClusterModel(tunables, cluster, own).run()));
        out.sort(Transition.ORDER);
        return out;
    }
}
