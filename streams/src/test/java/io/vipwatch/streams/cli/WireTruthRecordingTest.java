package io.vipwatch.streams.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vipwatch.streams.Scenario;
import io.vipwatch.streams.TopologyHarness;
import io.vipwatch.streams.core.DetectionSettings;

/**
 * The wire recording of issue 14 ({@code src/test/resources/wire/wire-truth.jsonl}): {@code vipwatch analyze}
 * prints the documented transitions, and the live topology, fed the same events through its six input topics,
 * publishes exactly the same alerts.
 */
class WireTruthRecordingTest {

    private static final List<String> EXPECTED = List.of(
            "OPENED UNKNOWN_RESPONDER 2026-11-01T00:00:35Z [] default/web",
            "OPENED WIRE_SILENT 2026-11-01T00:00:35Z [w2] default/api",
            "OPENED DUPLICATE_RESPONDERS 2026-11-01T00:00:35Z [w1, w2] default/db",
            "RESOLVED UNKNOWN_RESPONDER 2026-11-01T00:01:25Z [] default/web");

    @TempDir
    Path stateDir;

    private static Path recording() {
        return Scenario.wireTruth();
    }

    @Test
    void analyzePrintsTheWireAlerts() {
        final AnalyzeCommandTest.Run run = AnalyzeCommandTest.analyze(recording().toString());

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(ExactnessRecordingsTest.summaries(run.stdout())).containsExactlyInAnyOrderElementsOf(EXPECTED);
        assertThat(run.stdout()).anySatisfy(line -> assertThat(line).contains("\"kind\":\"UNKNOWN_RESPONDER\"")
                .contains("02:00:00:00:00:99").contains("\"severity\":\"critical\""));
    }

    @Test
    void theTopologyPublishesWhatAnalyzePrints() throws Exception {
        final List<String> analyzed = AnalyzeCommandTest.analyze(recording().toString()).stdout();

        try (TopologyHarness harness = new TopologyHarness(DetectionSettings.defaults(), stateDir)) {
            harness.sendAll(Scenario.readRecording(recording()));
            assertThat(harness.dlq.readValuesToList()).as("no dead letters").isEmpty();
            assertThat(harness.readAlertLines()).containsExactlyInAnyOrderElementsOf(analyzed).hasSize(EXPECTED.size());
            assertThat(harness.ownershipChanges.readValuesToList()).anySatisfy(change -> {
                assertThat(change.getAfter()).contains("mac/02:00:00:00:00:99", "w1");
                assertThat(change.getCause().getType()).isEqualTo("wire");
            });
        }
    }
}
