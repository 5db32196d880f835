package io.vipwatch.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import io.vipwatch.schemas.Topics;
import io.vipwatch.schemas.avro.AlertKind;
import io.vipwatch.schemas.avro.AlertState;
import io.vipwatch.schemas.avro.OwnershipChange;
import io.vipwatch.testkit.KafkaTestCluster;
import io.vipwatch.testkit.Poll;
import io.vipwatch.testkit.WithKafka;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * PostgreSQL goes away for 30 s while records keep arriving: the sink retries with backoff, then
 * catches up with nothing lost and nothing twice. The server here is a real PostgreSQL of this test's
 * own (stopping the shared one would break other test classes), restarted on the same port and data.
 */
@WithKafka
class PostgresOutageIT {

    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    private static final Duration OUTAGE = Duration.ofSeconds(30);
    private static final Duration WAIT = Duration.ofSeconds(60);

    private EmbeddedPostgres postgres;

    @AfterEach
    void stopPostgres() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void retriesWithBackoffDuringAnOutageThenCatchesUpWithNothingLost(final KafkaTestCluster kafka) throws Exception {
        final Path dataDir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "outage-pg-");
        final int port = freePort();
        postgres = start(dataDir, port);
        final PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL("jdbc:postgresql://localhost:" + port + "/postgres");
        dataSource.setUser("postgres");
        Migrations.migrate(dataSource);
        final Topics topics = StoreTesting.createTopics(kafka);
        final Properties client = new Properties();
        client.put("bootstrap.servers", kafka.bootstrapServers());

        try (HistoryWriter writer = HistoryWriter.start(HistorySettings.of(client, topics, dataSource)
                .withGroupId(kafka.topicPrefix() + "store").withPoll(Duration.ofMillis(100), 200)
                .withRetryBackoff(Duration.ofMillis(200), Duration.ofSeconds(5)))) {
            StoreTesting.sendChanges(kafka, topics, changes(0, 400));
            Poll.until("the first 400 changes stored", WAIT, () -> StoreTesting.count(dataSource,
                    "SELECT count(*) FROM ownership_changes"), n -> n == 400);

            postgres.close();
            postgres = null;
            final long down = System.nanoTime();
            StoreTesting.sendChanges(kafka, topics, changes(400, 1600));
            StoreTesting.sendAlerts(kafka, topics, List.of(
                    Fixtures.alert(AlertState.OPENED, AlertKind.FLAPPING, "outage-c1", "198.51.100.7", T0, T0,
                            List.of("worker-1", "worker-2"), null),
                    Fixtures.alert(AlertState.RESOLVED, AlertKind.FLAPPING, "outage-c1", "198.51.100.7", T0,
                            T0.plusSeconds(600), List.of("worker-1", "worker-2"), null)));
            Poll.until("a 30 s outage with the sink retrying", OUTAGE.plusSeconds(10),
                    () -> Duration.ofNanos(System.nanoTime() - down), elapsed -> elapsed.compareTo(OUTAGE) >= 0);
            final long failedDuringOutage = writer.failedWrites();
            postgres = start(dataDir, port);

            Poll.until("every change stored after the outage", WAIT, () -> StoreTesting.count(dataSource,
                    "SELECT count(*) FROM ownership_changes"), n -> n == 1600);
            Poll.until("the alert episode resolved", WAIT, () -> StoreTesting.count(dataSource,
                    "SELECT count(*) FROM alert_episodes WHERE resolved_at IS NOT NULL"), n -> n == 1);

            // retried, with backoff: 200 ms doubling to 5 s makes about 9 attempts in 30 s, not hundreds
            assertThat(failedDuringOutage).isBetween(4L, 20L);
            assertThat(writer.isRunning()).isTrue();
            assertThat(StoreTesting.count(dataSource, "SELECT count(DISTINCT event_id) FROM ownership_changes"))
                    .isEqualTo(1600);
            assertThat(StoreTesting.count(dataSource, "SELECT count(*) FROM alert_transitions")).isEqualTo(2);
            assertThat(StoreTesting.count(dataSource, "SELECT coalesce(sum(next_offset), 0) FROM kafka_offsets"))
                    .isEqualTo(1602);
        }
    }

    private static List<OwnershipChange> changes(final int from, final int to) {
        final List<OwnershipChange> changes = new ArrayList<>();
        for (int i = from; i < to; i++) {
            final String ip = "198.51.100." + (i % 50 + 1);
            changes.add(Fixtures.change("outage-c1", ip, T0.plusSeconds(i), List.of("worker-" + (i % 2 + 1)),
                    List.of("worker-" + ((i + 1) % 2 + 1)), "default/web"));
        }
        return changes;
    }

    private static EmbeddedPostgres start(final Path dataDir, final int port) throws IOException {
        return EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false).setPort(port)
                .setPGStartupWait(Duration.ofSeconds(60)).start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
