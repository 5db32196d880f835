package io.vipwatch.streams.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vipwatch.schemas.ClusterPartitioning;
import io.vipwatch.schemas.Topics;
import io.vipwatch.schemas.avro.AnnouncementChange;
import io.vipwatch.schemas.avro.ServiceChange;
import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.schemas.serde.AvroSerdes;
import io.vipwatch.streams.Scenario;
import io.vipwatch.testkit.KafkaTestCluster;
import io.vipwatch.testkit.WithKafka;
import picocli.CommandLine;

@WithKafka
class ReplayCommandIT {

    @TempDir
    Path dir;

    @Test
    void publishesARecordingAsAvroKeepingEventTimesAndClusterPartitions(final KafkaTestCluster kafka) throws Exception {
        final Topics topics = kafka.createVipwatchTopics("", 3);
        final List<InputEvent> events = Scenario.merge(Scenario.seedIncident("c1"), Scenario.seedIncident("c2"));
        final Path file = Scenario.writeRecording(dir.resolve("seed.jsonl"), events);
        final List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.add(2, "{\"type\":\"bogus\"}");
        Files.write(file, lines);

        final StringWriter err = new StringWriter();
        final int code = new CommandLine(new ReplayCommand()).setErr(new PrintWriter(err)).execute(file.toString(),
                "--bootstrap-servers", kafka.bootstrapServers(), "--topic-prefix", kafka.topicPrefix(),
                "--speed", "100");

        assertThat(code).isZero();
        assertThat(err.toString()).contains(file + ":3: missing 'cluster'")
                .containsPattern("replayed " + events.size() + " events in [0-9.]+ s \\([0-9]+ events/s\\), 1 bad line, done");
        final List<ConsumerRecord<String, ServiceChange>> services = kafka.consumeUntil(topics.services(),
                new StringDeserializer(), AvroSerdes.serviceChange(), r -> r.size() >= 4, Duration.ofSeconds(30));
        assertThat(services).extracting(ConsumerRecord::key).containsOnly("c1/default/web", "c2/default/web");
        assertThat(services).allMatch(r -> r.timestamp() == r.value().getObservedAt());
        final List<ConsumerRecord<String, AnnouncementChange>> announcements = kafka.consumeUntil(
                topics.announcements(), new StringDeserializer(), AvroSerdes.announcementChange(), r -> r.size() >= 4,
                Duration.ofSeconds(30));
        for (final ConsumerRecord<String, AnnouncementChange> r : announcements) {
            assertThat(r.partition()).isEqualTo(ClusterPartitioning.partitionOf(r.value().getCluster(), 3));
        }
    }

    @Test
    void failsWithTwoWithoutABroker() {
        final StringWriter err = new StringWriter();
        final int code = new CommandLine(new ReplayCommand()).setErr(new PrintWriter(err)).execute("x.jsonl");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--bootstrap-servers");
    }
}
