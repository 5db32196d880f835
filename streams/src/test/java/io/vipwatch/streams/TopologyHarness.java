package io.vipwatch.streams;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.BooleanSupplier;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vipwatch.ops.telemetry.DeadLetterMetrics;
import io.vipwatch.schemas.Topics;
import io.vipwatch.schemas.avro.Alert;
import io.vipwatch.schemas.avro.OwnershipChange;
import io.vipwatch.schemas.avro.VipState;
import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.schemas.serde.InputCodec;
import io.vipwatch.schemas.serde.AvroSerdes;
import io.vipwatch.streams.core.AlertJson;
import io.vipwatch.streams.core.DetectionSettings;
import io.vipwatch.streams.internal.AvroOutputs;
import io.vipwatch.streams.internal.DeadLetterHandler;
import io.vipwatch.streams.internal.InputProgress;

/** The topology in a {@link TopologyTestDriver}, fed with input events, wall-clock advance off. */
public final class TopologyHarness implements AutoCloseable {

    public final Topics topics = Topics.withPrefix("t.");
    public final TopologyTestDriver driver;
    private final List<TestInputTopic<String, byte[]>> inputs = new ArrayList<>();
    public final TestOutputTopic<String, Alert> alerts;
    public final TestOutputTopic<String, OwnershipChange> ownershipChanges;
    public final TestOutputTopic<String, VipState> vipState;
    public final TestOutputTopic<String, byte[]> dlq;
    /** Where the dead-letter handler counts ({@code vipwatch_dead_letters}). */
    public final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    public TopologyHarness(final DetectionSettings config, final Path stateDir) {
        this(config, stateDir, false);
    }

    public TopologyHarness(final DetectionSettings config, final Path stateDir, final boolean wallClockAdvance) {
        this(config, stateDir, wallClockAdvance, () -> true);
    }

    /** {@code caughtUp} answers whether the input is caught up (the wall clock waits while it is not). */
    public TopologyHarness(final DetectionSettings config, final Path stateDir, final boolean wallClockAdvance,
            final BooleanSupplier caughtUp) {
        this(config, stateDir, wallClockAdvance, caughtUp, Instant.ofEpochMilli(Scenario.T0));
    }

    /** {@code wallClockStart}: the driver's wall clock at the start (event times are around Scenario.T0). */
    public TopologyHarness(final DetectionSettings config, final Path stateDir, final boolean wallClockAdvance,
            final BooleanSupplier caughtUp, final Instant wallClockStart) {
        // scenarios run hours of event time past the driver's wall clock: the clock policy has its own tests
        this(config, stateDir, wallClockAdvance, caughtUp, wallClockStart, Duration.ofDays(36_500));
    }

    /** {@code maxClockSkew}: the clock policy (events further ahead of the driver's wall clock are dead-lettered). */
    public TopologyHarness(final DetectionSettings config, final Path stateDir, final boolean wallClockAdvance,
            final BooleanSupplier caughtUp, final Instant wallClockStart, final Duration maxClockSkew) {
        final Properties client = new Properties();
        client.put("bootstrap.servers", "unused:9092");
        // the driver is handed the events one at a time, in time order: nothing to wait for on the other inputs
        // (with the topology's 1 s, a record would wait for the driver's wall clock)
        client.put("max.task.idle.ms", "0");
        final StreamsSettings settings = StreamsSettings.of(client, topics).withStateDir(stateDir)
                .withDetection(config).withPunctuation(StreamsSettings.DEFAULT_PUNCTUATION_INTERVAL, wallClockAdvance)
                .withMaxClockSkew(maxClockSkew);
        final Properties streamsConfig = VipOwnershipTopology.streamsConfig(settings);
        streamsConfig.put(DeadLetterHandler.METRICS_CONFIG, new DeadLetterMetrics(registry));
        driver = new TopologyTestDriver(VipOwnershipTopology.build(settings, InputProgress.answering(caughtUp)),
                streamsConfig, wallClockStart);
        for (final String topic : topics.inputs()) {
            inputs.add(driver.createInputTopic(topic, new StringSerializer(), new ByteArraySerializer()));
        }
        alerts = driver.createOutputTopic(topics.alerts(), new StringDeserializer(), AvroSerdes.alert());
        ownershipChanges = driver.createOutputTopic(topics.ownershipChanges(), new StringDeserializer(),
                AvroSerdes.ownershipChange());
        vipState = driver.createOutputTopic(topics.vipState(), new StringDeserializer(), AvroSerdes.vipState());
        dlq = driver.createOutputTopic(topics.dlq(), new StringDeserializer(), new ByteArrayDeserializer());
    }

    public TestInputTopic<String, byte[]> input(final String topic) {
        return inputs.get(topics.inputs().indexOf(topic));
    }

    public void send(final InputEvent event) {
        input(topics.topicFor(event)).pipeInput(new TestRecord<>(event.key(), InputCodec.encode(event),
                Instant.ofEpochMilli(event.observedAt())));
    }

    public void sendAll(final List<InputEvent> events) {
        events.forEach(this::send);
    }

    public List<Alert> readAlerts() {
        return alerts.readValuesToList();
    }

    public List<String> readAlertLines() {
        final List<String> lines = new ArrayList<>();
        readAlerts().forEach(a -> lines.add(AlertJson.format(AvroOutputs.transition(a))));
        return lines;
    }

    @Override
    public void close() {
        driver.close();
    }
}
