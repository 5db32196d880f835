package io.vipwatch.collector.sim;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.vipwatch.collector.publish.EventSink;
import io.vipwatch.schemas.event.InputEvent;

/**
 * Plays events into a sink in event-time order, paced against the wall clock: an event {@code d} ms after
 * the first is published {@code d / speed} ms after the start. Speed 0 publishes as fast as possible.
 */
public final class ScenarioPlayer {

    private final EventSink sink;
    private final double speed;

    public ScenarioPlayer(final EventSink sink, final double speed) {
        if (speed < 0) {
            throw new IllegalArgumentException("speed must be 0 (as fast as possible) or positive, got " + speed);
        }
        this.sink = sink;
        this.speed = speed;
    }

    /**
     * Publishes the events; returns false if {@code keepGoing} turned false before the end.
     */
    public boolean play(final List<InputEvent> events, final BooleanSupplier keepGoing) throws InterruptedException {
        if (events.isEmpty()) {
            return true;
        }
        final long firstEventTime = events.get(0).observedAt();
        final long wallStart = System.nanoTime();
        for (final InputEvent event : events) {
            if (!keepGoing.getAsBoolean()) {
                return false;
            }
            if (speed > 0) {
                final long dueNanos = wallStart + (long) ((event.observedAt() - firstEventTime) * 1_000_000L / speed);
                final long waitNanos = dueNanos - System.nanoTime();
                if (waitNanos > 0) {
                    sink.flush();
                    // pacing the publisher to the scenario's clock, not waiting for a condition
                    TimeUnit.NANOSECONDS.sleep(waitNanos);
                }
            }
            sink.publish(event);
        }
        sink.flush();
        return true;
    }
}
