package io.vipwatch.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

import javax.sql.DataSource;

import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.GroupState;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vipwatch.schemas.Topics;
import io.vipwatch.testkit.KafkaTestCluster;
import io.vipwatch.testkit.Poll;
import io.vipwatch.testkit.WithKafka;

/**
 * PostgreSQL goes away for longer than {@code max.poll.interval.ms} under two sinks of one group: each is stuck
 * retrying the batch in hand, so neither polls, and Kafka drops both from the group. When PostgreSQL returns, each
 * stores its batch (the offsets in PostgreSQL are the truth, not the group's), rejoins, seeks to the stored offsets
 * and catches up: nothing lost, nothing twice. The server is this test's own, as in {@link PostgresOutageIT}.
 */
@WithKafka
class PostgresLongOutageIT {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresLongOutageIT.class);
    private static final Duration MAX_POLL_INTERVAL = Duration.ofSeconds(6);
    private static final Duration WAIT = Duration.ofSeconds(90);

    @Test
    void twoSinksDroppedFromTheGroupDuringTheOutageCatchUpWithNothingLostOrTwice(final KafkaTestCluster kafka)
            throws Exception {
        try (RestartablePostgres postgres = RestartablePostgres.start("long-outage-pg-")) {
            final DataSource dataSource = postgres.dataSource();
            final Topics topics = StoreTesting.createTopics(kafka);
            final String group = kafka.topicPrefix() + "store";
            final Properties client = new Properties();
            client.put("bootstrap.servers", kafka.bootstrapServers());
            client.put("max.poll.interval.ms", Long.toString(MAX_POLL_INTERVAL.toMillis()));
            client.put("session.timeout.ms", "6000");
            client.put("heartbeat.interval.ms", "1000");
            final HistorySettings settings = HistorySettings.of(client, topics, dataSource).withGroupId(group)
                    .withPoll(Duration.ofMillis(100), 100)
                    .withRetryBackoff(Duration.ofMillis(200), Duration.ofSeconds(2));

            try (HistoryWriter first = HistoryWriter.start(settings);
                    HistoryWriter second = HistoryWriter.start(settings)) {
                StoreTesting.sendChanges(kafka, topics, RestartablePostgres.changes("long-c1", 0, 400));
                Poll.until("the first 400 changes stored", WAIT, () -> StoreTesting.count(dataSource,
                        "SELECT count(*) FROM ownership_changes"), n -> n == 400);
                Poll.until("both sinks in the group", WAIT, () -> describe(kafka, group).members().size(), n -> n == 2);

                postgres.stop();
                final long down = System.nanoTime();
                StoreTesting.sendChanges(kafka, topics, RestartablePostgres.changes("long-c1", 400, 1600));
                StoreTesting.sendAlerts(kafka, topics, RestartablePostgres.flappingEpisode("long-c1"));
                // both sinks are stuck retrying PostgreSQL — holding a batch they cannot store, or (when the outage
                // catches a rebalance) in the assignment callback that reads the stored offsets: neither polls, and the
                // group drops them
                final ConsumerGroupDescription dropped = Poll.until("the group to drop its stuck members", WAIT,
                        () -> describe(kafka, group), g -> g.members().isEmpty());
                final Duration outage = Duration.ofNanos(System.nanoTime() - down);
                assertThat(outage).isGreaterThan(MAX_POLL_INTERVAL);
                postgres.restart();
                final long up = System.nanoTime();

                Poll.until("every change stored after the outage", WAIT, () -> StoreTesting.count(dataSource,
                        "SELECT count(*) FROM ownership_changes"), n -> n == 1600);
                Poll.until("the alert episode resolved", WAIT, () -> StoreTesting.count(dataSource,
                        "SELECT count(*) FROM alert_episodes WHERE resolved_at IS NOT NULL"), n -> n == 1);
                final long caughtUp = Duration.ofNanos(System.nanoTime() - up).toMillis();
                Poll.until("both sinks back in the group", WAIT, () -> describe(kafka, group).members().size(),
                        n -> n == 2);
                LOG.info("PostgreSQL down {} ms (max.poll.interval.ms {}), group state while down {};"
                        + " failed writes {} + {}; caught up {} ms after PostgreSQL came back", outage.toMillis(),
                        MAX_POLL_INTERVAL.toMillis(), dropped.groupState(), first.failedWrites(),
                        second.failedWrites(), caughtUp);

                assertThat(dropped.groupState()).isIn(GroupState.EMPTY, GroupState.PREPARING_REBALANCE);
                assertThat(first.isRunning()).isTrue();
                assertThat(second.isRunning()).isTrue();
                assertThat(first.failure()).isEmpty();
                assertThat(second.failure()).isEmpty();
                RestartablePostgres.assertStoredOnce(dataSource);
            }
        }
    }

    private static ConsumerGroupDescription describe(final KafkaTestCluster kafka, final String group)
            throws Exception {
        return kafka.admin().describeConsumerGroups(List.of(group)).describedGroups().get(group).get();
    }
}
