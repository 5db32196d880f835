package io.vipwatch.store.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.vipwatch.store.History.Change;
import io.vipwatch.store.History.Lane;
import io.vipwatch.store.History.Span;

/** Turns a VIP's responder sets over a range into one lane per node with the spans it answered in. */
public final class Lanes {

    private Lanes() {
    }

    /**
     * @param nodesAtStart who answered at {@code from}
     * @param changes      the changes after {@code from} up to {@code to}, oldest first
     */
    public static List<Lane> of(final List<String> nodesAtStart, final List<Change> changes, final Instant from,
            final Instant to) {
        // node -> its spans so far, in node order
        final Map<String, List<Span>> spans = new TreeMap<>();
        // node -> start of the span it is in now
        final Map<String, Instant> openSince = new TreeMap<>();
        for (final String node : nodesAtStart) {
            spans.computeIfAbsent(node, n -> new ArrayList<>());
            openSince.put(node, from);
        }
        for (final Change change : changes) {
            final Instant at = change.at().isBefore(from) ? from : change.at().isAfter(to) ? to : change.at();
            for (final String node : List.copyOf(openSince.keySet())) {
                if (!change.afterNodes().contains(node)) {
                    close(spans, node, openSince.remove(node), at);
                }
            }
            for (final String node : change.afterNodes()) {
                spans.computeIfAbsent(node, n -> new ArrayList<>());
                openSince.putIfAbsent(node, at);
            }
        }
        for (final Map.Entry<String, Instant> open : openSince.entrySet()) {
            close(spans, open.getKey(), open.getValue(), to);
        }
        final List<Lane> lanes = new ArrayList<>(spans.size());
        spans.forEach((node, nodeSpans) -> lanes.add(new Lane(node, List.copyOf(nodeSpans))));
        return lanes;
    }

    private static void close(final Map<String, List<Span>> spans, final String node, final Instant since,
            final Instant until) {
        if (until.isAfter(since)) {
            spans.get(node).add(new Span(since, until));
        }
    }
}
