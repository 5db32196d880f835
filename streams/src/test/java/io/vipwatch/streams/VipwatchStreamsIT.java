package io.vipwatch.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

import io.vipwatch.schemas.Topics;
import io.vipwatch.schemas.avro.Alert;
import io.vipwatch.schemas.avro.AlertKind;
import io.vipwatch.schemas.avro.AlertState;
import io.vipwatch.schemas.avro.OwnershipChange;
import io.vipwatch.schemas.avro.VipState;
import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.schemas.event.WireObservation;
import io.vipwatch.schemas.publish.InputPublisher;
import io.vipwatch.schemas.serde.AvroSerdes;
import io.vipwatch.streams.core.AlertJson;
import io.vipwatch.streams.core.DetectionSettings;
import io.vipwatch.streams.core.Recorder;
import io.vipwatch.streams.internal.AvroOutputs;
import io.vipwatch.testkit.KafkaTestCluster;
import io.vipwatch.testkit.WithKafka;

/** The topology on a real broker (the testkit's in-process KRaft broker). */
@WithKafka
class VipwatchStreamsIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** Default detection, no wall-clock advance, application id {@code <topic prefix>streams}, topics created. */
    private static StreamsSettings settings(final Properties client, final Topics topics, final int partitions)
            throws IOException {
        return StreamsSettings.of(client, topics)
                .withApplicationId(topics.prefix() + "streams")
                .withStateDir(Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "streams-"))
                .withDetection(DetectionSettings.defaults())
                .withPunctuation(StreamsSettings.DEFAULT_PUNCTUATION_INTERVAL, false)
                .withCreateTopics(partitions);
    }

    @Test
    void detectsTheSeedIncidentOnARealBrokerPastAPoisonPill(final KafkaTestCluster kafka) throws Exception {
        final Topics topics = Topics.withPrefix(kafka.topicPrefix());
        final Properties client = new Properties();
        client.put("bootstrap.servers", kafka.bootstrapServers());
        final StreamsSettings settings = settings(client, topics, 2);

        try (VipwatchStreams streams = VipwatchStreams.start(settings);
                InputPublisher replayer = new InputPublisher(client, topics)) {
            kafka.produce(List.of(new ProducerRecord<>(topics.services(), 0,
                    Scenario.time(1), "c1/default/web", new byte[] {1, 2, 3})),
                    new StringSerializer(),
                    new ByteArraySerializer());
            Scenario.seedIncident("c1").events().forEach(replayer::publish);
            replayer.flush();

            final var dead = kafka.consumeUntil(topics.dlq(), new StringDeserializer(),
                    new ByteArrayDeserializer(), records -> !records.isEmpty(),
                    TIMEOUT);
            assertThat(dead.get(0).key()).isEqualTo("c1/default/web");
            assertThat(dead.get(0).value()).containsExactly(1, 2, 3);
            assertThat(new String(dead.get(0).headers().lastHeader("__streams.errors.topic").value(),
                    StandardCharsets.UTF_8)).isEqualTo(topics.services());
            assertThat(new String(dead.get(0).headers().lastHeader("__streams.errors.message").value(),
                    StandardCharsets.UTF_8)).startsWith("undecodable:");

            final List<ConsumerRecord<String, Alert>> alerts = kafka.consumeUntil(topics.alerts(),
                    new StringDeserializer(), AvroSerdes.alert(), records -> records.size() >= 2, TIMEOUT);
            assertThat(alerts).extracting(r -> r.value().getState(), r -> r.value().getKind(), r -> r.value().getAt())
                    .containsExactly(
                            Tuple.tuple(AlertState.OPENED, AlertKind.FOREIGN_BINDING, Scenario.time(27)),
                            Tuple.tuple(AlertState.RESOLVED, AlertKind.FOREIGN_BINDING, Scenario.time(75)));
            assertThat(alerts.get(0).value().getNodes()).containsExactly("cp-1");
            assertThat(alerts.get(0).key()).isEqualTo(alerts.get(0).value().getFingerprint());

            final List<ConsumerRecord<String, OwnershipChange>> changes = kafka.consumeUntil(topics.ownershipChanges(),
                    new StringDeserializer(), AvroSerdes.ownershipChange(), records -> records.size() >= 4, TIMEOUT);
            assertThat(changes).extracting(r -> r.value().getAfter())
                    .containsExactly(List.of("worker-1"), List.of("cp-1", "worker-1"), List.of("cp-1"), List.of());
            final List<ConsumerRecord<String, VipState>> states = kafka.consumeUntil(topics.vipState(),
                    new StringDeserializer(), AvroSerdes.vipState(), records -> !records.isEmpty(), TIMEOUT);
            assertThat(states.get(0).key()).isEqualTo("c1/" + Scenario.VIP);
        }
    }

    @Test
    void decidesTheWireRecordingAsAnalyzeDoesThroughTheWireTopic(final KafkaTestCluster kafka) throws Exception {
        // topics and application of its own: the other test of this class uses cluster c1 too
        final Topics topics = Topics.withPrefix(kafka.topicPrefix() + "wire.");
        final Properties client = new Properties();
        client.put("bootstrap.servers", kafka.bootstrapServers());
        final StreamsSettings settings = settings(client, topics, 3);
        final List<InputEvent> events = Scenario.readRecording(Scenario.wireTruth());
        final List<String> analyzed = Recorder.run(DetectionSettings.defaults(), events).lines();

        try (VipwatchStreams streams = VipwatchStreams.start(settings);
                InputPublisher publisher = new InputPublisher(client, topics)) {
            events.forEach(publisher::publish);
            publisher.flush();

            final List<ConsumerRecord<String, Alert>> alerts = kafka.consumeUntil(topics.alerts(),
                    new StringDeserializer(), AvroSerdes.alert(), records -> records.size() >= analyzed.size(), TIMEOUT);
            assertThat(alerts).extracting(r -> AlertJson.format(
                    AvroOutputs.transition(r.value())))
                    .containsExactlyInAnyOrderElementsOf(analyzed);
            assertThat(alerts).extracting(r -> r.value().getKind())
                    .contains(AlertKind.UNKNOWN_RESPONDER, AlertKind.WIRE_SILENT, AlertKind.DUPLICATE_RESPONDERS);
            final long wireLines = events.stream()
                    .filter(WireObservation.class::isInstance).count();
            assertThat(kafka.consumeUntil(topics.wire(), new StringDeserializer(), AvroSerdes.wireObservation(),
                    records -> records.size() >= wireLines, TIMEOUT)).as("the wire lines went to vipwatch.wire.v1")
                    .hasSize((int) wireLines);
        }
    }
}
