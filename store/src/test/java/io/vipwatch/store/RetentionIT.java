package io.vipwatch.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.vipwatch.schemas.Topics;
import io.vipwatch.schemas.avro.AlertKind;
import io.vipwatch.schemas.avro.AlertState;
import io.vipwatch.testkit.KafkaTestCluster;
import io.vipwatch.testkit.Poll;
import io.vipwatch.testkit.TestDatabase;
import io.vipwatch.testkit.WithKafka;
import io.vipwatch.testkit.WithPostgres;

/**
 * Retention drops whole monthly partitions older than the cutoff, and who-answered-when stays right for
 * a VIP whose only changes were in a dropped partition.
 */
@WithKafka
@WithPostgres
class RetentionIT {

    @Test
    void dropsOldPartitionsAndKeepsTheLastKnownOwnerOfEachVip(final KafkaTestCluster kafka, final TestDatabase db) {
        final Instant now = Instant.now();
        final Instant old = now.minus(Duration.ofDays(120)).truncatedTo(ChronoUnit.SECONDS);
        final Instant recent = now.minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);
        Migrations.migrate(db.dataSource());
        final Topics topics = StoreTesting.createTopics(kafka);
        StoreTesting.sendChanges(kafka, topics, List.of(
                // a VIP that moved long ago and never since
                Fixtures.change("ret-c1", "198.51.100.1", old, List.of(), List.of("worker-1"), "default/quiet"),
                Fixtures.change("ret-c1", "198.51.100.1", old.plusSeconds(60), List.of("worker-1"), List.of("worker-2"),
                        "default/quiet"),
                // a VIP that moved yesterday
                Fixtures.change("ret-c1", "198.51.100.2", recent, List.of(), List.of("worker-3"), "default/busy")));
        StoreTesting.sendAlerts(kafka, topics, List.of(
                Fixtures.alert(AlertState.OPENED, AlertKind.FLAPPING, "ret-c1", "198.51.100.1", old, old, List.of(), null),
                Fixtures.alert(AlertState.RESOLVED, AlertKind.FLAPPING, "ret-c1", "198.51.100.1", old, old.plusSeconds(600),
                        List.of(), null)));
        final String oldPartition = "ownership_changes_p" + old.toString().substring(0, 7).replace("-", "");

        try (HistoryWriter writer = HistoryWriter.start(StoreTesting.sinkSettings(kafka, topics, db.dataSource())
                .withRetention(Duration.ofDays(90)).withMaintenanceInterval(Duration.ofMillis(500)))) {
            Poll.until("every record stored", Duration.ofSeconds(30), writer::storedRecords, n -> n == 5);
            Poll.until("the partition of " + old + " dropped", Duration.ofSeconds(30), () -> StoreTesting.count(
                    db.dataSource(), "SELECT count(*) FROM pg_class WHERE relname = ?", oldPartition), n -> n == 0);
        }

        final HistoryQueries history = HistoryQueries.of(db.dataSource());
        assertThat(StoreTesting.count(db.dataSource(), "SELECT count(*) FROM ownership_changes")).isEqualTo(1);
        assertThat(history.owner("ret-c1", "198.51.100.1", recent)).satisfies(owner -> {
            assertThat(owner.known()).isTrue();
            assertThat(owner.nodes()).containsExactly("worker-2");
            assertThat(owner.since()).isEqualTo(old.plusSeconds(60));
        });
        assertThat(history.owner("ret-c1", "198.51.100.2", now).nodes()).containsExactly("worker-3");
        assertThat(StoreTesting.count(db.dataSource(), "SELECT count(*) FROM alert_episodes")).isZero();
    }
}
