package io.vipwatch.ops.telemetry;

import java.util.function.Supplier;

import org.apache.kafka.streams.KafkaStreams;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;

/** A Kafka Streams application's metrics (Micrometer's binder), its state as a gauge, and readiness (RUNNING). */
public final class StreamsTelemetry {

    private StreamsTelemetry() {
    }

    /** Binds {@code streams}; ready only while it is RUNNING. Returns the binder to close with the app. */
    public static AutoCloseable bind(final Telemetry telemetry, final KafkaStreams streams) {
        final KafkaStreamsMetrics metrics = new KafkaStreamsMetrics(streams);
        metrics.bindTo(telemetry.registry());
        final Supplier<KafkaStreams.State> state = streams::state;
        Gauge.builder("vipwatch_streams_running", state, s -> s.get() == KafkaStreams.State.RUNNING ? 1 : 0)
                .description("1 while the Kafka Streams application is RUNNING").register(telemetry.registry());
        telemetry.readiness("streams", () -> state.get() == KafkaStreams.State.RUNNING
                ? Telemetry.Check.ok() : Telemetry.Check.notReady("Kafka Streams is " + state.get()));
        return metrics;
    }
}
