package io.vipwatch.streams.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.vipwatch.streams.core.vocabulary.AlertKind;
import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.streams.fleet.FleetRecording;

class BenignRecordingTest {

    @Test
    void aBenignFleetGivesNoAlert() {
        // 4 clusters x 12 nodes x 20 Services for about 6 hours of event time: failovers with overlaps and gaps,
        // identical snapshots every 10 s, collector restarts resending their state, Services deleted and re-created
        final List<InputEvent> events = new FleetRecording(7, 4, 12, 20, false).events(200_000);

        final Recorder out = Recorder.run(DetectionSettings.defaults(), events);

        assertThat(out.changes).as("the fleet did fail over").hasSizeGreaterThan(50);
        assertThat(out.alerts).isEmpty();
    }

    @Test
    void theSameFleetWithIncidentsGivesEachIncidentsAlert() {
        final List<InputEvent> events = new FleetRecording(7, 2, 12, 20, true).events(20_000);

        final Recorder out = Recorder.run(DetectionSettings.defaults(), events);

        assertThat(out.alerts).extracting(Alert::kind).containsOnly(AlertKind.FOREIGN_BINDING,
                AlertKind.DUPLICATE_RESPONDERS, AlertKind.FLAPPING, AlertKind.COLLECTOR_SILENT);
        assertThat(out.alerts).filteredOn(a -> a.kind() == AlertKind.FOREIGN_BINDING).first()
                .satisfies(a -> assertThat(a.nodes()).containsExactly("cp-1"))
                .satisfies(a -> assertThat(a.hint()).contains("svc_enable"));
        assertThat(out.alerts).allMatch(a -> a.cluster().equals("cluster-0"));
    }
}
