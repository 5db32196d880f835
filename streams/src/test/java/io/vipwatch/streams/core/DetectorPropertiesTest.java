package io.vipwatch.streams.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.vipwatch.streams.core.vocabulary.AlertKind;
import io.vipwatch.streams.core.vocabulary.AlertState;
import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.streams.Scenario;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Properties of the core over random interleavings of input (issue 3, "Done when"). */
class DetectorPropertiesTest {

    /** Damping that never opens, so only grace conditions are judged. */
    private static final DetectionSettings NO_FLAPPING = DetectionSettings.defaults()
            .withDamping(1000, Duration.ofMinutes(5), 1e12, 750, 0);

    @Property(tries = 300)
    void everyOpenedIsFollowedByAtMostOneResolved(@ForAll final long seed, @ForAll @IntRange(min = 1, max = 400) final int count) {
        final Recorder out = Recorder.run(DetectionSettings.defaults(), RandomEvents.generate(seed, count));

        final Map<String, AlertState> lastByFingerprint = new HashMap<>();
        final Map<String, Integer> resolvedByEpisode = new HashMap<>();
        for (final Alert a : out.alerts) {
            final AlertState last = lastByFingerprint.get(a.fingerprint());
            switch (a.state()) {
                case OPENED -> assertThat(last).as("OPENED %s after %s", a.episode(), last)
                        .isIn(null, AlertState.RESOLVED);
                case UPDATED, RESOLVED -> assertThat(last).as("%s %s after %s", a.state(), a.episode(), last)
                        .isIn(AlertState.OPENED, AlertState.UPDATED);
            }
            if (a.state() == AlertState.RESOLVED) {
                resolvedByEpisode.merge(a.episode(), 1, Integer::sum);
            }
            lastByFingerprint.put(a.fingerprint(), a.state());
        }
        assertThat(resolvedByEpisode.values()).allMatch(n -> n == 1);
        assertThat(out.alerts).extracting(Alert::eventId).doesNotHaveDuplicates();
    }

    @Property(tries = 200)
    void theSameInputInTheSameOrderGivesIdenticalOutput(@ForAll final long seed,
            @ForAll @IntRange(min = 1, max = 400) final int count) {
        final List<InputEvent> events = RandomEvents.generate(seed, count);

        final Recorder first = Recorder.run(DetectionSettings.defaults(), events);
        final Recorder second = Recorder.run(DetectionSettings.defaults(), events);
        final Recorder stored = new Recorder();
        final Detector detector = new Detector(DetectionSettings.defaults(), new RoundTripState(), stored);
        events.forEach(detector::accept);
        detector.finish();

        assertThat(second.alerts).isEqualTo(first.alerts);
        assertThat(second.changes).isEqualTo(first.changes);
        assertThat(stored.alerts).as("through the binary state codec").isEqualTo(first.alerts);
        assertThat(stored.changes).isEqualTo(first.changes);
    }

    @Property(tries = 200)
    void theOrderOfDifferentKeysWithinOneMillisecondDoesNotMatter(@ForAll final long seed,
            @ForAll @IntRange(min = 1, max = 400) final int count) {
        final List<InputEvent> events = RandomEvents.generate(seed, count);
        final List<InputEvent> shuffled = shuffleWithinMilliseconds(events, new Random(seed));

        assertThat(Recorder.run(DetectionSettings.defaults(), shuffled).lines())
                .containsExactlyInAnyOrderElementsOf(Recorder.run(DetectionSettings.defaults(), events).lines());
    }

    @Property(tries = 200)
    void noAlertOpensForAConditionShorterThanGrace(@ForAll final long seed,
            @ForAll @IntRange(min = 1, max = 30) final int pulses) {
        final Random random = new Random(seed);
        final long grace = 15_000;
        final Scenario s = Scenario.cluster("c1").at(0).worker("worker-1").controlPlane("cp-1", true)
                .metallbService("default/web", Scenario.VIP).announce("default/web", "worker-1");
        double t = 5;
        for (int i = 0; i < pulses; i++) {
            final double length = random.nextInt((int) grace) / 1000.0;
            switch (random.nextInt(4)) {
                case 0 -> s.at(t).addresses("cp-1", Scenario.VIP + "/32").at(t + length).addresses("cp-1");
                case 1 -> s.at(t).announce("default/web", "worker-2").at(t + length).withdraw("default/web", "worker-2");
                case 2 -> s.at(t).withdraw("default/web", "worker-1").at(t + length).announce("default/web", "worker-1");
                default -> s.at(t).announce("default/web", "cp-1").at(t + length).withdraw("default/web", "cp-1");
            }
            t += length + random.nextInt(20) + 0.001;
        }
        final Recorder out = Recorder.run(NO_FLAPPING, s.at(0).heartbeatsUntil(t + 60).events());

        assertThat(out.alerts).isEmpty();
    }

    /** Shuffles events of the same millisecond, keeping the order of events with the same key (as Kafka does). */
    static List<InputEvent> shuffleWithinMilliseconds(final List<InputEvent> events, final Random random) {
        final List<InputEvent> out = new ArrayList<>(events.size());
        int i = 0;
        while (i < events.size()) {
            int j = i;
            while (j < events.size() && events.get(j).observedAt() == events.get(i).observedAt()) {
                j++;
            }
            final Map<String, List<InputEvent>> byKey = new LinkedHashMap<>();
            for (final InputEvent e : events.subList(i, j)) {
                byKey.computeIfAbsent(e.type() + "|" + e.key(), k -> new ArrayList<>()).add(e);
            }
            final List<List<InputEvent>> queues = new ArrayList<>(byKey.values());
            while (!queues.isEmpty()) {
                final int pick = random.nextInt(queues.size());
                out.add(queues.get(pick).remove(0));
                if (queues.get(pick).isEmpty()) {
                    queues.remove(pick);
                }
            }
            i = j;
        }
        out.sort(Comparator.comparingLong(InputEvent::observedAt));
        return out;
    }
}
