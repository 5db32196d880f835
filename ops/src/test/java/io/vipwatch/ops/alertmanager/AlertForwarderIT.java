package io.vipwatch.ops.alertmanager;

import static io.vipwatch.schemas.avro.AlertState.OPENED;
import static io.vipwatch.schemas.avro.AlertState.RESOLVED;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.vipwatch.schemas.avro.Alert;
import io.vipwatch.schemas.serde.AvroSerdes;
import io.vipwatch.testkit.KafkaTestCluster;
import io.vipwatch.testkit.Poll;
import io.vipwatch.testkit.WithKafka;

/**
 * The forwarder against a real broker and an in-process stand-in for Alertmanager: the payload, the resend,
 * 5xx and a refused connection (retried, nothing dropped), and restarts (open alerts re-posted, resolved ones
 * posted once, offsets not past what Alertmanager did not take).
 */
@WithKafka
class AlertForwarderIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final AtomicInteger TOPICS = new AtomicInteger();

    private KafkaTestCluster kafka;
    private String topic;
    private String group;

    @BeforeEach
    void topic(final KafkaTestCluster kafka) {
        this.kafka = kafka;
        final int n = TOPICS.incrementAndGet();
        this.topic = kafka.topic("vipwatch.alerts.v1-" + n);
        this.group = kafka.topicPrefix() + "forwarder-" + n;
        kafka.createTopics(List.of(topic), 2);
    }

    private AlertForwarder.Settings settings(final String... urls) {
        final Properties client = new Properties();
        client.put("bootstrap.servers", kafka.bootstrapServers());
        return AlertForwarder.Settings.of(client, topic, Arrays.asList(urls)).withGroupId(group)
                .withPageUrl("http://vipwatch.example.net:8080").withResendInterval(Duration.ofMinutes(1))
                .withBackoff(Duration.ofMillis(50), Duration.ofMillis(400));
    }

    private void publish(final Alert... alerts) {
        kafka.produce(Arrays.stream(alerts).map(a -> new ProducerRecord<>(topic, a.getFingerprint(), a)).toList(),
                new StringSerializer(), AvroSerdes.alert());
    }

    @Test
    void postsOpenedWithLabelsAnnotationsAndPageThenResolvedWithItsTime() throws Exception {
        final long opened = Instant.parse("2026-12-02T10:00:00Z").toEpochMilli();
        final long resolvedAt = opened + 42_000;
        try (FakeAlertmanager am = new FakeAlertmanager();
             AlertForwarder forwarder = AlertForwarder.start(settings(am.url()))) {
            publish(TestAlerts.foreignBinding("c1", "198.51.100.10", OPENED, "ep-1", opened, opened));
            final JsonNode firing = Poll.until("the OPENED alert posted", WAIT, () -> am.episode("ep-1"), l -> !l.isEmpty()).get(0);
            assertThat(firing.get("labels").toString()).isEqualTo("{\"alertname\":\"FOREIGN_BINDING\",\"severity\":\"critical\","
                    + "\"cluster\":\"c1\",\"vip\":\"198.51.100.10\",\"service\":\"default/web\",\"fingerprint\":\"c1/198.51.100.10/FOREIGN_BINDING\"}");
            assertThat(firing.at("/annotations/summary").asText()).contains("FOREIGN_BINDING", "198.51.100.10", "c1", "cp-1");
            assertThat(firing.at("/annotations/description").asText()).contains("svc_enable");
            assertThat(firing.at("/annotations/nodes").asText()).isEqualTo("cp-1,worker-1");
            assertThat(firing.get("startsAt").asText()).isEqualTo("2026-12-02T10:00:00Z");
            final Instant endsAt = Instant.parse(firing.get("endsAt").asText());
            assertThat(endsAt).isBetween(Instant.now().plus(Duration.ofMinutes(3)), Instant.now().plus(Duration.ofMinutes(4)));
            assertThat(firing.get("generatorURL").asText())
                    .isEqualTo("http://vipwatch.example.net:8080/vip.html?cluster=c1&ip=198.51.100.10");

            publish(TestAlerts.foreignBinding("c1", "198.51.100.10", RESOLVED, "ep-1", opened, resolvedAt));
            final JsonNode resolved = Poll.until("the RESOLVED alert posted", WAIT, () -> am.episode("ep-1"), l -> l.size() >= 2).get(1);
            assertThat(resolved.get("endsAt").asText()).isEqualTo("2026-12-02T10:00:42Z");
            assertThat(resolved.get("labels")).isEqualTo(firing.get("labels"));
            // the forwarder counts a post once it has read Alertmanager's answer, just after Alertmanager got it
            Poll.untilAsserted("both posts counted as sent", WAIT, () -> {
                assertThat(forwarder.posts("sent")).isEqualTo(2);
                assertThat(forwarder.openAlerts()).isZero();
            });
        }
    }

    @Test
    void repostsOpenAlertsEveryResendIntervalToEveryAlertmanagerOfAnHaPair() throws Exception {
        final long now = System.currentTimeMillis();
        try (FakeAlertmanager a = new FakeAlertmanager(); FakeAlertmanager b = new FakeAlertmanager();
             AlertForwarder forwarder = AlertForwarder.start(settings(a.url(), b.url())
                     .withResendInterval(Duration.ofMillis(300)))) {
            publish(TestAlerts.foreignBinding("c1", "198.51.100.11", OPENED, "ep-2", now, now));
            Poll.until("three posts of the open alert to each", WAIT,
                    () -> a.episode("ep-2").size() >= 3 && b.episode("ep-2").size() >= 3);
            final List<JsonNode> posts = a.episode("ep-2");
            // each re-post pushes endsAt forward (now + 4 × the interval)
            assertThat(Instant.parse(posts.get(2).get("endsAt").asText()))
                    .isAfter(Instant.parse(posts.get(0).get("endsAt").asText()));
            assertThat(posts.get(2).get("startsAt")).isEqualTo(posts.get(0).get("startsAt"));
        }
    }

    @Test
    void retriesOn5xxWithBackoffAndDropsNothing() throws Exception {
        final long now = System.currentTimeMillis();
        try (FakeAlertmanager am = new FakeAlertmanager()) {
            am.failNext(4, 503);
            try (AlertForwarder forwarder = AlertForwarder.start(settings(am.url()))) {
                publish(TestAlerts.foreignBinding("c1", "198.51.100.12", OPENED, "ep-3", now, now),
                        TestAlerts.foreignBinding("c1", "198.51.100.13", OPENED, "ep-4", now, now));
                Poll.until("both alerts posted after the 503s", WAIT,
                        () -> !am.episode("ep-3").isEmpty() && !am.episode("ep-4").isEmpty());
                assertThat(am.failures()).isEqualTo(4);
                assertThat(forwarder.posts("retried")).isGreaterThanOrEqualTo(4);
                Poll.until("nothing pending", WAIT, () -> forwarder.pending() == 0);
            }
        }
    }

    @Test
    void alertmanagerDownKeepsTheOffsetsAndARestartedForwarderDeliversWhenItComesBack() throws Exception {
        final long now = System.currentTimeMillis();
        try (FakeAlertmanager am = new FakeAlertmanager()) {
            am.down();
            try (AlertForwarder forwarder = AlertForwarder.start(settings(am.url()))) {
                publish(TestAlerts.foreignBinding("c1", "198.51.100.14", OPENED, "ep-5", now, now));
                Poll.until("posts refused", WAIT, () -> forwarder.posts("retried") >= 3);
                assertThat(forwarder.errors()).hasSize(1);
                assertThat(forwarder.pending()).isEqualTo(1);
            }
            // stopped while Alertmanager was down: the group's offsets did not pass the unsent transition
            assertThat(committedTotal()).isZero();

            try (AlertForwarder forwarder = AlertForwarder.start(settings(am.url()))) {
                Poll.until("retrying after the restart", WAIT, () -> forwarder.posts("retried") >= 2);
                am.up();
                Poll.until("the alert delivered once Alertmanager is back", WAIT, () -> !am.episode("ep-5").isEmpty());
                Poll.until("offsets committed past it", WAIT, () -> committedTotal() == 1);
                assertThat(forwarder.errors()).isEmpty();
            }
        }
    }

    @Test
    void aRestartRepostsOpenAlertsPostsResolvesMissedAndLeavesOldResolvedAlone() throws Exception {
        final long now = System.currentTimeMillis();
        try (FakeAlertmanager am = new FakeAlertmanager()) {
            try (AlertForwarder forwarder = AlertForwarder.start(settings(am.url()))) {
                publish(TestAlerts.foreignBinding("c1", "198.51.100.20", OPENED, "open", now, now),
                        TestAlerts.foreignBinding("c1", "198.51.100.21", OPENED, "resolved-while-down", now, now),
                        TestAlerts.foreignBinding("c1", "198.51.100.22", OPENED, "old", now, now),
                        TestAlerts.foreignBinding("c1", "198.51.100.22", RESOLVED, "old", now, now + 1000));
                Poll.until("all delivered and committed", WAIT, () -> committedTotal() == 4 && forwarder.pending() == 0);
            }
            publish(TestAlerts.foreignBinding("c1", "198.51.100.21", RESOLVED, "resolved-while-down", now, now + 2000));
            final int before = am.alerts().size();
            try (AlertForwarder forwarder = AlertForwarder.start(settings(am.url()))) {
                assertThat(forwarder.awaitCaughtUp(WAIT)).isTrue();
                Poll.until("the open alert re-posted and the missed resolve posted", WAIT,
                        () -> am.episode("open").size() == 2 && am.episode("resolved-while-down").size() == 2);
                Poll.until("committed", WAIT, () -> committedTotal() == 5);
                final List<JsonNode> after = am.alerts().subList(before, am.alerts().size());
                assertThat(after).extracting(alert -> alert.at("/annotations/episode").asText())
                        .containsExactlyInAnyOrder("open", "resolved-while-down");
                assertThat(am.episode("resolved-while-down").get(1).get("endsAt").asText())
                        .isEqualTo(Instant.ofEpochMilli(now + 2000).toString());
                assertThat(forwarder.openAlerts()).isEqualTo(1);
            }
        }
    }

    private long committedTotal() {
        final Set<TopicPartition> partitions = Set.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
        final Map<TopicPartition, OffsetAndMetadata> committed;
        try {
            committed = kafka.admin().listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        } catch (final Exception e) {
            throw new IllegalStateException(e);
        }
        return partitions.stream().map(committed::get).mapToLong(o -> o == null ? 0 : o.offset()).sum();
    }
}
