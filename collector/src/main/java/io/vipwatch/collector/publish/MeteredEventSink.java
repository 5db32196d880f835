package io.vipwatch.collector.publish;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vipwatch.schemas.event.InputEvent;

/**
 * Counts what a collector publishes, {@code vipwatch_input_events_total{type}}, and times each publish,
 * {@code vipwatch_publish_seconds} (the node agent's publish latency): a decorator, so the sinks stay as they are.
 */
public final class MeteredEventSink implements EventSink {

    private final EventSink sink;
    private final MeterRegistry registry;
    private final Timer publishTime;
    private volatile long lastPublishNanos = System.nanoTime();

    public MeteredEventSink(final EventSink sink, final MeterRegistry registry) {
        this.sink = sink;
        this.registry = registry;
        this.publishTime = Timer.builder("vipwatch_publish").description("Time to hand one event to the publisher")
                .publishPercentiles(0.5, 0.99).register(registry);
        Gauge.builder("vipwatch_last_publish_age_seconds", this,
                        s -> (System.nanoTime() - s.lastPublishNanos) / 1e9)
                .description("Seconds since the last event (heartbeats included) was published").register(registry);
    }

    @Override
    public void publish(final InputEvent event) {
        final long start = System.nanoTime();
        sink.publish(event);
        publishTime.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        lastPublishNanos = System.nanoTime();
        Counter.builder("vipwatch_input_events").description("Input events published, by type")
                .tag("type", event.type()).register(registry).increment();
    }

    @Override
    public void nodeDeleted(final String cluster, final String node, final long observedAt, final String source) {
        sink.nodeDeleted(cluster, node, observedAt, source);
        Counter.builder("vipwatch_input_events").description("Input events published, by type")
                .tag("type", "node-deleted").register(registry).increment();
    }

    @Override
    public void flush() {
        sink.flush();
    }

    @Override
    public void close() {
        sink.close();
    }
}
