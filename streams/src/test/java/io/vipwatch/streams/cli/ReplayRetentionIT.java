package io.vipwatch.streams.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vipwatch.schemas.TopicRetention;
import io.vipwatch.schemas.Topics;
import io.vipwatch.testkit.KafkaTestCluster;
import io.vipwatch.testkit.WithKafka;
import picocli.CommandLine;

/**
 * Nothing silently dropped by the broker: the topics vipwatch creates keep records whatever their (event) time, and
 * {@code replay} refuses a recording whose events a target topic would delete by age, naming the topic and its
 * retention. On the real broker (the testkit's sets {@code log.retention.ms=-1}, so the tests create topics with an
 * explicit retention, as a broker's default 7 days would be).
 */
@WithKafka
class ReplayRetentionIT {

    private static final long WEEK_MS = Duration.ofDays(7).toMillis();

    @TempDir
    Path dir;

    @Test
    void topicsAreCreatedWithARetentionThatFitsTheirUse(final KafkaTestCluster kafka) throws Exception {
        final Topics topics = Topics.withPrefix(kafka.topicPrefix() + "created.");
        topics.ensureCreated(kafka.admin(), 1, (short) 1);

        final Map<String, TopicRetention> retention = TopicRetention.describe(kafka.admin(),
                topics.all().stream().map(Topics.Spec::name).toList(), Duration.ofSeconds(30));

        assertThat(retention.values()).as("no topic deletes records by age").noneMatch(TopicRetention::deletesByAge);
        assertThat(retention.get(topics.services())).isEqualTo(new TopicRetention(topics.services(), "delete", -1, -1));
        assertThat(retention.get(topics.announcements()).retentionBytes()).isEqualTo(-1);
        assertThat(retention.get(topics.alerts()).retentionBytes()).isEqualTo(-1);
        assertThat(retention.get(topics.ownershipChanges()).retentionBytes()).isEqualTo(-1);
        assertThat(retention.get(topics.heartbeats()).retentionBytes()).isEqualTo(Topics.HEARTBEATS_BYTES);
        assertThat(retention.get(topics.dlq()).retentionBytes()).isEqualTo(Topics.DLQ_BYTES);
        for (final String compacted : List.of(topics.nodeAddresses(), topics.nodes(), topics.vipState(),
                topics.collectorState())) {
            assertThat(retention.get(compacted).cleanupPolicy()).as(compacted).isEqualTo("compact");
        }
    }

    @Test
    void refusesARecordingOlderThanATopicsRetentionNamingItAndPublishesNothing(final KafkaTestCluster kafka)
            throws Exception {
        final Topics topics = Topics.withPrefix(kafka.topicPrefix() + "week.");
        kafka.admin().createTopics(topics.inputs().stream().map(name -> new NewTopic(name, 1, (short) 1)
                .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(WEEK_MS)))).toList())
                .all().get(30, TimeUnit.SECONDS);
        Topics.awaitLeaders(kafka.admin(), topics.inputs(), Duration.ofSeconds(30));
        final Path monthOld = recording("month-old.jsonl", Instant.now().minus(Duration.ofDays(30)));

        final Replay refused = replay(kafka, topics, monthOld);

        assertThat(refused.exit()).as(refused.err()).isEqualTo(2);
        assertThat(refused.err()).contains("replay: refused: the recording starts at ",
                topics.heartbeats() + " (7d (retention.ms=604800000))", topics.services() + " (7d",
                "--entity-name " + topics.services() + " --add-config retention.ms=-1");
        for (final String topic : topics.inputs()) {
            assertThat(endOffset(kafka, topic)).as("nothing published to %s", topic).isZero();
        }

        final Replay recent = replay(kafka, topics, recording("recent.jsonl", Instant.now().minusSeconds(60)));
        assertThat(recent.exit()).as(recent.err()).isZero();
        assertThat(endOffset(kafka, topics.services())).isEqualTo(1);
    }

    @Test
    void replaysAnOldRecordingIntoTopicsVipwatchCreated(final KafkaTestCluster kafka) throws Exception {
        final Topics topics = Topics.withPrefix(kafka.topicPrefix() + "ours.");
        topics.ensureCreated(kafka.admin(), 1, (short) 1);

        final Replay replayed = replay(kafka, topics, recording("year-old.jsonl",
                Instant.now().minus(Duration.ofDays(365))));

        assertThat(replayed.exit()).as(replayed.err()).isZero();
        assertThat(endOffset(kafka, topics.services())).isEqualTo(1);
        assertThat(endOffset(kafka, topics.heartbeats())).isEqualTo(1);
    }

    @Test
    void failsNamingTheTopicsWhenTheyDoNotExist(final KafkaTestCluster kafka) throws Exception {
        final Topics topics = Topics.withPrefix(kafka.topicPrefix() + "missing.");

        final Replay failed = replay(kafka, topics, recording("any.jsonl", Instant.now()));

        assertThat(failed.exit()).isEqualTo(1);
        assertThat(failed.err()).contains("replay: an input topic does not exist", topics.services(),
                "vipwatch streams --create-topics");
    }

    private record Replay(int exit, String err) {
    }

    private static Replay replay(final KafkaTestCluster kafka, final Topics topics, final Path recording) {
        final StringWriter err = new StringWriter();
        final int exit = new CommandLine(new ReplayCommand()).setErr(new PrintWriter(err)).execute(
                recording.toString(), "--bootstrap-servers", kafka.bootstrapServers(), "--topic-prefix",
                topics.prefix());
        return new Replay(exit, err.toString());
    }

    /** A Service and a heartbeat observed at {@code start}. */
    private Path recording(final String name, final Instant start) throws Exception {
        final Path file = dir.resolve(name);
        Files.writeString(file, String.join("\n",
                "{\"type\":\"service\",\"cluster\":\"c1\",\"observedAt\":\"" + start + "\",\"op\":\"UPSERT\","
                        + "\"namespace\":\"default\",\"name\":\"web\",\"ingressIps\":[\"198.51.100.10\"]}",
                "{\"type\":\"heartbeat\",\"cluster\":\"c1\",\"observedAt\":\"" + start.plusSeconds(10) + "\","
                        + "\"source\":\"collector/c1\"}",
                ""));
        return file;
    }

    private static long endOffset(final KafkaTestCluster kafka, final String topic) throws Exception {
        final TopicPartition partition = new TopicPartition(topic, 0);
        return kafka.admin().listOffsets(Map.of(partition, OffsetSpec.latest())).all().get(30, TimeUnit.SECONDS)
                .get(partition).offset();
    }
}
