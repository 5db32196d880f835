package io.vipwatch.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Properties;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import io.vipwatch.schemas.Topics;
import io.vipwatch.testkit.KafkaTestCluster;
import io.vipwatch.testkit.Poll;
import io.vipwatch.testkit.WithKafka;

/**
 * PostgreSQL goes away for 30 s while records keep arriving: the sink retries with backoff, then
 * catches up with nothing lost and nothing twice. The server here is a real PostgreSQL of this test's
 * own (stopping the shared one would break other test classes), restarted on the same port and data.
 */
@WithKafka
class PostgresOutageIT {

    private static final Duration OUTAGE = Duration.ofSeconds(30);
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void retriesWithBackoffDuringAnOutageThenCatchesUpWithNothingLost(final KafkaTestCluster kafka) throws Exception {
        try (RestartablePostgres postgres = RestartablePostgres.start("outage-pg-")) {
            final DataSource dataSource = postgres.dataSource();
            final Topics topics = StoreTesting.createTopics(kafka);
            final Properties client = new Properties();
            client.put("bootstrap.servers", kafka.bootstrapServers());

            try (HistoryWriter writer = HistoryWriter.start(HistorySettings.of(client, topics, dataSource)
                    .withGroupId(kafka.topicPrefix() + "store").withPoll(Duration.ofMillis(100), 200)
                    .withRetryBackoff(Duration.ofMillis(200), Duration.ofSeconds(5)))) {
                StoreTesting.sendChanges(kafka, topics, RestartablePostgres.changes("outage-c1", 0, 400));
                Poll.until("the first 400 changes stored", WAIT, () -> StoreTesting.count(dataSource,
                        "SELECT count(*) FROM ownership_changes"), n -> n == 400);

                postgres.stop();
                final long down = System.nanoTime();
                StoreTesting.sendChanges(kafka, topics, RestartablePostgres.changes("outage-c1", 400, 1600));
                StoreTesting.sendAlerts(kafka, topics, RestartablePostgres.flappingEpisode("outage-c1"));
                Poll.until("a 30 s outage with the sink retrying", OUTAGE.plusSeconds(10),
                        () -> Duration.ofNanos(System.nanoTime() - down), elapsed -> elapsed.compareTo(OUTAGE) >= 0);
                final long failedDuringOutage = writer.failedWrites();
                postgres.restart();

                Poll.until("every change stored after the outage", WAIT, () -> StoreTesting.count(dataSource,
                        "SELECT count(*) FROM ownership_changes"), n -> n == 1600);
                Poll.until("the alert episode resolved", WAIT, () -> StoreTesting.count(dataSource,
                        "SELECT count(*) FROM alert_episodes WHERE resolved_at IS NOT NULL"), n -> n == 1);

                // retried, with backoff: 200 ms doubling to 5 s makes about 9 attempts in 30 s, not hundreds
                assertThat(failedDuringOutage).isBetween(4L, 20L);
                assertThat(writer.isRunning()).isTrue();
                RestartablePostgres.assertStoredOnce(dataSource);
            }
        }
    }
}
