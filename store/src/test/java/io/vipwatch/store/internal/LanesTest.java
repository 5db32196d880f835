package io.vipwatch.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.vipwatch.store.History.Change;
import io.vipwatch.store.History.Lane;
import io.vipwatch.store.History.Span;

class LanesTest {

    private static final Instant T0 = Instant.parse("2026-11-01T03:12:00Z");

    private static Instant at(final int seconds) {
        return T0.plusSeconds(seconds);
    }

    private static Change change(final int seconds, final List<String> before, final List<String> after) {
        return new Change(at(seconds), before, after, null, "e" + seconds, "node-addresses", "c1/cp-1", null);
    }

    @Test
    void drawsBothNodesOverlappingDuringTheConflict() {
        final List<Lane> lanes = Lanes.of(List.of(), List.of(
                change(6, List.of(), List.of("worker-1")),
                change(20, List.of("worker-1"), List.of("cp-1", "worker-1")),
                change(60, List.of("cp-1", "worker-1"), List.of("cp-1")),
                change(61, List.of("cp-1"), List.of())), at(0), at(100));

        assertThat(lanes).containsExactly(
                new Lane("cp-1", List.of(new Span(at(20), at(61)))),
                new Lane("worker-1", List.of(new Span(at(6), at(60)))));
    }

    @Test
    void startsWithWhoAnsweredAtTheStartAndRunsToTheEndOfTheRange() {
        final List<Lane> lanes = Lanes.of(List.of("worker-1"), List.of(), at(0), at(100));

        assertThat(lanes).containsExactly(new Lane("worker-1", List.of(new Span(at(0), at(100)))));
    }

    @Test
    void splitsANodeThatLeavesAndComesBack() {
        final List<Lane> lanes = Lanes.of(List.of("worker-1"), List.of(
                change(10, List.of("worker-1"), List.of("worker-2")),
                change(30, List.of("worker-2"), List.of("worker-1"))), at(0), at(50));

        assertThat(lanes).containsExactly(
                new Lane("worker-1", List.of(new Span(at(0), at(10)), new Span(at(30), at(50)))),
                new Lane("worker-2", List.of(new Span(at(10), at(30)))));
    }
}
