package io.vipwatch.streams.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

import io.vipwatch.streams.core.vocabulary.AlertKind;
import io.vipwatch.streams.core.vocabulary.AlertState;
import io.vipwatch.streams.core.vocabulary.Severity;
import io.vipwatch.streams.Scenario;

class SeedIncidentTest {

    @Test
    void opensForeignBindingNamingCp1AfterGraceAndResolvesAfterTheServiceIsGone() {
        final Recorder out = Recorder.run(DetectionSettings.defaults(), Scenario.seedIncident("c1").events());

        assertThat(out.alerts).extracting(Alert::state, Alert::kind, Alert::at)
                .containsExactly(
                        Tuple.tuple(AlertState.OPENED, AlertKind.FOREIGN_BINDING, Scenario.time(27)),
                        Tuple.tuple(AlertState.RESOLVED, AlertKind.FOREIGN_BINDING, Scenario.time(75)));
        final Alert opened = out.alerts.get(0);
        assertThat(opened.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(opened.cluster()).isEqualTo("c1");
        assertThat(opened.vip()).isEqualTo(Scenario.VIP);
        assertThat(opened.service()).isEqualTo("default/web");
        assertThat(opened.nodes()).containsExactly("cp-1");
        assertThat(opened.hint()).contains("cp-1", "svc_enable", "svc_enable: \"false\"",
                "/etc/kubernetes/manifests/kube-vip.yaml", "worker-1");
        assertThat(opened.evidence()).extracting(Alert.Evidence::kind)
                .contains("service", "announcement", "binding", "node");
        final Alert resolved = out.alerts.get(1);
        assertThat(resolved.episode()).isEqualTo(opened.episode());
        assertThat(resolved.fingerprint()).isEqualTo(opened.fingerprint());
        assertThat(resolved.eventId()).isNotEqualTo(opened.eventId());
    }

    @Test
    void reportsTheResponderChangesOfTheIncident() {
        final Recorder out = Recorder.run(DetectionSettings.defaults(), Scenario.seedIncident("c1").events());

        assertThat(out.changes).extracting(OwnershipChange::at, OwnershipChange::before, OwnershipChange::after)
                .containsExactly(
                        Tuple.tuple(Scenario.time(11), List.of(), List.of("worker-1")),
                        Tuple.tuple(Scenario.time(12), List.of("worker-1"), List.of("cp-1", "worker-1")),
                        Tuple.tuple(Scenario.time(60), List.of("cp-1", "worker-1"), List.of("cp-1")),
                        Tuple.tuple(Scenario.time(62), List.of("cp-1"), List.of()));
        assertThat(out.changes.get(1).cause().type()).isEqualTo("node-addresses");
        assertThat(out.changes.get(1).cause().key()).isEqualTo("c1/cp-1");
    }
}
