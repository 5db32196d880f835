package io.vipwatch.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vipwatch.schemas.avro.Alert;
import io.vipwatch.schemas.avro.AlertKind;
import io.vipwatch.schemas.avro.AlertState;
import io.vipwatch.schemas.avro.OwnershipChange;
import io.vipwatch.schemas.avro.VipState;
import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.streams.core.DetectionSettings;
import io.vipwatch.streams.core.Detector;
import io.vipwatch.streams.core.InMemoryState;
import io.vipwatch.streams.core.RandomEventsAccess;
import io.vipwatch.streams.core.Recorder;

class VipOwnershipTopologyTest {

    @TempDir
    Path stateDir;

    @Test
    void opensForeignBindingNamingCp1AndResolvesAfterTheServiceIsDeleted() {
        try (TopologyHarness harness = new TopologyHarness(DetectionSettings.defaults(), stateDir)) {
            harness.sendAll(Scenario.seedIncident("c1").events());

            final List<Alert> alerts = harness.readAlerts();
            assertThat(alerts).extracting(Alert::getState, Alert::getKind, Alert::getAt)
                    .containsExactly(
                            Tuple.tuple(AlertState.OPENED, AlertKind.FOREIGN_BINDING, Scenario.time(27)),
                            Tuple.tuple(AlertState.RESOLVED, AlertKind.FOREIGN_BINDING, Scenario.time(75)));
            final Alert opened = alerts.get(0);
            assertThat(opened.getNodes()).containsExactly("cp-1");
            assertThat(opened.getVip()).isEqualTo(Scenario.VIP);
            assertThat(opened.getService()).isEqualTo("default/web");
            assertThat(opened.getHint()).contains("cp-1", "svc_enable: \"false\"");
            assertThat(opened.getEvidence()).isNotEmpty();
        }
    }

    @Test
    void theWallClockOpensAlertsOnAQuietCluster() {
        try (TopologyHarness harness = new TopologyHarness(DetectionSettings.defaults(), stateDir, true)) {
            // the binding at 12 s is the last event the cluster sends
            Scenario.seedIncident("c1").events().stream().filter(e -> e.observedAt() <= Scenario.time(12))
                    .forEach(harness::send);
            assertThat(harness.readAlerts()).isEmpty();

            harness.driver.advanceWallClockTime(Duration.ofSeconds(10));
            assertThat(harness.readAlerts()).isEmpty();
            harness.driver.advanceWallClockTime(Duration.ofSeconds(10));

            assertThat(harness.readAlerts()).extracting(Alert::getState, Alert::getKind, Alert::getAt)
                    .containsExactly(Tuple.tuple(AlertState.OPENED, AlertKind.FOREIGN_BINDING,
                            Scenario.time(27)));
        }
    }

    @Test
    void theWallClockWaitsWhileEventsOfTheTaskAreStillBehind() {
        final AtomicBoolean caughtUp = new AtomicBoolean(false);
        try (TopologyHarness harness = new TopologyHarness(DetectionSettings.defaults(), stateDir, true, caughtUp::get)) {
            // a backlog: the cluster's binding at 12 s has been read, its later events (if any) would still wait
            final List<InputEvent> events = Scenario.seedIncident("c1").events();
            events.stream().filter(e -> e.observedAt() <= Scenario.time(12)).forEach(harness::send);
            harness.driver.advanceWallClockTime(Duration.ofSeconds(20));
            assertThat(harness.readAlerts()).as("nothing is decided by the wall clock while behind").isEmpty();

            // caught up: nothing of the cluster waits, so it has been quiet for the 20 s that passed
            caughtUp.set(true);
            harness.driver.advanceWallClockTime(Duration.ofMillis(100));
            assertThat(harness.readAlerts()).as("caught up, the quiet cluster follows the wall clock again")
                    .extracting(Alert::getState, Alert::getKind, Alert::getAt)
                    .containsExactly(Tuple.tuple(AlertState.OPENED, AlertKind.FOREIGN_BINDING,
                            Scenario.time(27)));
        }
    }

    @Test
    void aClusterDaysBehindTheWallClockIsHistoryAndFollowsOnlyItsEvents() {
        // a recording of 2026-11-01 replayed a month later: the wall clock does not judge it
        try (TopologyHarness harness = new TopologyHarness(DetectionSettings.defaults(), stateDir, true, () -> true,
                Instant.ofEpochMilli(Scenario.T0).plus(Duration.ofDays(30)))) {
            final List<InputEvent> events = Scenario.seedIncident("c1").events();
            events.stream().filter(e -> e.observedAt() <= Scenario.time(12)).forEach(harness::send);
            harness.driver.advanceWallClockTime(Duration.ofMinutes(5));
            assertThat(harness.readAlerts()).as("no alert from the wall clock for a replayed history").isEmpty();

            events.stream().filter(e -> e.observedAt() > Scenario.time(12)).forEach(harness::send);
            assertThat(harness.readAlerts()).extracting(Alert::getState, Alert::getKind, Alert::getAt)
                    .as("its own events decide it, as in analyze")
                    .containsExactly(Tuple.tuple(AlertState.OPENED, AlertKind.FOREIGN_BINDING,
                            Scenario.time(27)), Tuple.tuple(AlertState.RESOLVED,
                            AlertKind.FOREIGN_BINDING, Scenario.time(75)));
        }
    }

    @Test
    void keysAlertsByFingerprintAndOwnershipByClusterAndIp() {
        try (TopologyHarness harness = new TopologyHarness(DetectionSettings.defaults(), stateDir)) {
            harness.sendAll(Scenario.seedIncident("c1").events());

            final var alert = harness.alerts.readRecord();
            assertThat(alert.key()).isEqualTo(alert.value().getFingerprint());
            final List<OwnershipChange> changes = harness.ownershipChanges.readValuesToList();
            assertThat(changes).extracting(OwnershipChange::getAfter)
                    .containsExactly(List.of("worker-1"), List.of("cp-1", "worker-1"), List.of("cp-1"), List.of());
            final var states = harness.vipState.readKeyValuesToMap();
            assertThat(states).containsKey("c1/" + Scenario.VIP);
            final VipState last = states.get("c1/" + Scenario.VIP);
            assertThat(last.getResponders()).isEmpty();
            assertThat(last.getClaims()).isEmpty();
        }
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "random input, seed {0}")
    @org.junit.jupiter.params.provider.ValueSource(longs = {1, 2, 3, 4, 5})
    void decidesExactlyAsTheCoreDoesOnRandomInput(final long seed) {
        final var events = RandomEventsAccess.generate(seed, 400);
        final Recorder core = new Recorder();
        final Detector detector = new Detector(
                DetectionSettings.defaults(), new InMemoryState(), core);
        events.forEach(detector::accept); // no finish(): the topology never sees the end of its input
        try (TopologyHarness harness = new TopologyHarness(DetectionSettings.defaults(), stateDir)) {
            harness.sendAll(events);
            assertThat(harness.readAlertLines()).containsExactlyInAnyOrderElementsOf(core.lines());
            assertThat(harness.ownershipChanges.readValuesToList()).hasSize(core.changes.size());
        }
    }

    @Test
    void decidesExactlyAsTheCoreDoesOnTheSameEvents() {
        final var events = Scenario.merge(Scenario.seedIncident("c1"), Scenario.seedIncident("c2"));
        final List<String> expected = Recorder.run(DetectionSettings.defaults(), events).lines();
        try (TopologyHarness harness = new TopologyHarness(DetectionSettings.defaults(), stateDir)) {
            harness.sendAll(events);
            assertThat(harness.readAlertLines()).containsExactlyInAnyOrderElementsOf(expected).hasSize(4);
        }
    }
}
