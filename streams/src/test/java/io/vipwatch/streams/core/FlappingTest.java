package io.vipwatch.streams.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.vipwatch.streams.core.vocabulary.AlertKind;
import io.vipwatch.streams.Scenario;
import io.vipwatch.streams.core.vocabulary.AlertState;

/**
 * FLAPPING against the closed form of the damping: with flaps settling at times s_i (last change + merge window),
 * the penalty at t is sum(P * 2^(-(t - s_i) / H)); it opens at the first s_k where that is above suppress and
 * resolves at r = s_last + H * log2(p(s_last) / reuse), rounded up to the millisecond.
 */
class FlappingTest {

    private static final double P = 1000;
    private static final double H = Duration.ofMinutes(5).toMillis();
    private static final double SUPPRESS = 2000;
    private static final double REUSE = 750;
    private static final long MERGE = 2000;

    static Stream<Arguments> failovers() {
        return Stream.of(
                Arguments.of("one failover is not flapping", new double[] {100}),
                Arguments.of("two failovers 10 s apart stay below suppress", new double[] {100, 110}),
                Arguments.of("three failovers 10 s apart open at the third", new double[] {100, 110, 120}),
                Arguments.of("three failovers 5 min apart never open", new double[] {100, 400, 700}),
                Arguments.of("four failovers a minute apart open at the third", new double[] {100, 160, 220, 280}),
                Arguments.of("a second burst after resolving opens a new episode",
                        new double[] {100, 110, 120, 1500, 1510, 1520}),
                Arguments.of("flaps while open extend the episode", new double[] {100, 105, 110, 200, 300, 400}),
                Arguments.of("uneven gaps", new double[] {100, 103, 107.5, 160.25, 163.5}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failovers")
    void opensAndResolvesAtTheClosedFormTimes(final String description, final double[] changes) {
        final Recorder out = Recorder.run(DetectionSettings.defaults(), failovers(changes).events());

        final List<String> flapping = new ArrayList<>();
        for (final Alert a : out.alerts) {
            if (a.kind() == AlertKind.FLAPPING && a.state() != AlertState.UPDATED) {
                flapping.add(a.state() + " " + a.at());
            }
        }
        assertThat(flapping).containsExactlyElementsOf(closedForm(changes));
        assertThat(out.alerts).allMatch(a -> a.kind() == AlertKind.FLAPPING);
    }

    /** The expected OPENED/RESOLVED times from the closed form (no cap reached in these cases). */
    static List<String> closedForm(final double[] changes) {
        final List<String> out = new ArrayList<>();
        final List<Long> settled = new ArrayList<>();
        for (final double c : changes) {
            settled.add(Scenario.time(c) + MERGE);
        }
        boolean open = false;
        for (int k = 0; k < settled.size(); k++) {
            final long s = settled.get(k);
            if (open) {
                final long resolveAt = resolveAfter(settled.subList(0, k));
                if (resolveAt <= s) {
                    out.add("RESOLVED " + resolveAt);
                    open = false;
                }
            }
            if (!open && penalty(settled.subList(0, k + 1), s) > SUPPRESS) {
                out.add("OPENED " + s);
                open = true;
            }
        }
        if (open) {
            out.add("RESOLVED " + resolveAfter(settled));
        }
        return out;
    }

    static double penalty(final List<Long> flaps, final long t) {
        double p = 0;
        for (final long s : flaps) {
            p += P * Math.pow(2, -(t - s) / H);
        }
        return p;
    }

    static long resolveAfter(final List<Long> flaps) {
        final long last = flaps.get(flaps.size() - 1);
        return last + (long) Math.ceil(H * (Math.log(penalty(flaps, last) / REUSE) / Math.log(2)));
    }

    /** A MetalLB Service announced from node-0, failing over to the other node at each change time. */
    static Scenario failovers(final double[] changes) {
        final Scenario s = Scenario.cluster("c1").at(10).metallbService("default/web", Scenario.VIP)
                .at(10).announce("default/web", "node-0");
        String current = "node-0";
        for (final double c : changes) {
            final String next = current.equals("node-0") ? "node-1" : "node-0";
            s.at(c).withdraw("default/web", current).announce("default/web", next);
            current = next;
        }
        return s.at(0).heartbeatsUntil(3000);
    }

    @Test
    void aCappedPenaltyResolvesAtCapDecayedToReuse() {
        final DetectionSettings config = DetectionSettings.defaults().withDamping(P, Duration.ofMinutes(5), SUPPRESS,
                REUSE, 2500);
        final double[] changes = {100, 104, 108, 112, 116, 120};

        final Recorder out = Recorder.run(config, failovers(changes).events());

        final long last = Scenario.time(120) + MERGE;
        assertThat(RulesTest.describe(out.alerts)).first().asString().startsWith("OPENED FLAPPING 110 ");
        final Alert resolved = out.alerts.get(out.alerts.size() - 1);
        assertThat(resolved.state()).isEqualTo(AlertState.RESOLVED);
        assertThat(resolved.at()).isEqualTo(last + (long) Math.ceil(H * Math.log(2500 / REUSE) / Math.log(2)));
    }

    @Test
    void changesLessThanTheMergeWindowApartAreOneFlap() {
        // A -> B at 100 and B -> A at 101.5: one merged change that ends where it started, not a flap;
        // ten of them in a row still never open FLAPPING
        final Scenario s = Scenario.cluster("c1").at(10).metallbService("default/web", Scenario.VIP)
                .at(10).announce("default/web", "node-0");
        for (int i = 0; i < 10; i++) {
            s.at(100 + 10 * i).withdraw("default/web", "node-0").announce("default/web", "node-1")
                    .at(101.5 + 10 * i).withdraw("default/web", "node-1").announce("default/web", "node-0");
        }
        final Recorder out = Recorder.run(DetectionSettings.defaults(), s.at(0).heartbeatsUntil(400).events());

        assertThat(out.alerts).isEmpty();
        assertThat(out.changes).hasSize(21); // the first appearance, then 20 changes
    }

    @Test
    void aChainOfQuickChangesCountsOnceAtItsEnd() {
        // A -> B -> C -> A... five changes 1 s apart end on a different node: one flap, settled 2 s after the last
        final double[] chain = {100, 101, 102, 103, 104};
        final Scenario s = failovers(chain);
        final Recorder out = Recorder.run(DetectionSettings.defaults().withDamping(P, Duration.ofMinutes(5), 500, 400, 0),
                s.events());

        assertThat(RulesTest.describe(out.alerts)).first().isEqualTo("OPENED FLAPPING 106 [node-0, node-1]");
    }
}
