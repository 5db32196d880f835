package io.vipwatch.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vipwatch.schemas.Topics;
import io.vipwatch.schemas.avro.AlertKind;
import io.vipwatch.schemas.avro.AlertState;
import io.vipwatch.schemas.event.Heartbeat;
import io.vipwatch.schemas.policy.DeadLetters;
import io.vipwatch.schemas.serde.InputCodec;
import io.vipwatch.streams.core.DetectionSettings;

/** The clock policy live: one event dated 2099 is dead-lettered and cannot silence its cluster. */
class ClockPolicyTest {

    @TempDir
    Path stateDir;

    @Test
    void aHeartbeatDated2099IsDeadLetteredAndTheIncidentStillAlerts() {
        final long year2099 = Instant.parse("2099-01-01T00:00:00Z").toEpochMilli();
        try (TopologyHarness harness = new TopologyHarness(DetectionSettings.defaults(), stateDir, false, () -> true,
                Instant.ofEpochMilli(Scenario.T0 + 3_600_000), Duration.ofMinutes(5))) {
            final Heartbeat future = new Heartbeat("c1", year2099, "x", "future", null, 10_000);
            // the Kafka timestamp is the broker's (now); only the event's own time lies
            harness.input(harness.topics.prefix() + Topics.HEARTBEATS).pipeInput(new TestRecord<>(future.key(),
                    InputCodec.encode(future), Instant.ofEpochMilli(Scenario.T0)));
            harness.sendAll(Scenario.seedIncident("c1").events());

            final var dead = harness.dlq.readRecordsToList();
            assertThat(dead).hasSize(1);
            assertThat(header(dead.get(0), DeadLetters.REASON)).isEqualTo("futureTime");
            assertThat(header(dead.get(0), DeadLetters.ROLE)).isEqualTo("streams");
            assertThat(header(dead.get(0), DeadLetters.DETAIL)).contains("2099-01-01T00:00:00Z")
                    .contains("ahead of the wall clock");
            assertThat(harness.readAlerts()).extracting(a -> a.getState() + " " + a.getKind())
                    .containsExactly(AlertState.OPENED + " " + AlertKind.FOREIGN_BINDING,
                            AlertState.RESOLVED + " " + AlertKind.FOREIGN_BINDING);
        }
    }

    @Test
    void outputRecordTimesAreNeverLaterThanTheWallClock() {
        final Instant wall = Instant.ofEpochMilli(Scenario.T0 + 10_000);
        try (TopologyHarness harness = new TopologyHarness(DetectionSettings.defaults(), stateDir, false, () -> true,
                wall, Duration.ofHours(2))) {
            harness.sendAll(Scenario.seedIncident("c1").events());

            final var alerts = harness.alerts.readRecordsToList();
            assertThat(alerts).isNotEmpty();
            assertThat(alerts).allSatisfy(record -> assertThat(record.timestamp()).isLessThanOrEqualTo(wall.toEpochMilli()));
            assertThat(alerts.get(0).value().getAt()).as("the event time stays in the value")
                    .isGreaterThan(wall.toEpochMilli());
        }
    }

    private static String header(final TestRecord<String, byte[]> record, final String name) {
        final Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
