package io.vipwatch.collector.sim;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.vipwatch.collector.publish.EventSink;
import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.schemas.publish.EventTimePacer;

/**
 * Plays events into a sink in event-time order, paced against the wall clock by {@link EventTimePacer}: an event
 * {@code d} ms after the first is published {@code d / speed} ms after the start. Speed 0 publishes as fast as possible.
 */
public final class ScenarioPlayer {

    private final EventSink sink;
    private final double speed;

    /** @throws IllegalArgumentException when {@code speed} is negative, NaN or infinite */
    public ScenarioPlayer(final EventSink sink, final double speed) {
        this.sink = sink;
        this.speed = EventTimePacer.checkSpeed(speed);
    }

    /**
     * Publishes the events; returns false if {@code keepGoing} turned false before the end.
     */
    public boolean play(final List<InputEvent> events, final BooleanSupplier keepGoing) throws InterruptedException {
        final EventTimePacer pacer = new EventTimePacer(speed);
        for (final InputEvent event : events) {
            if (!keepGoing.getAsBoolean()) {
                return false;
            }
            final long waitNanos = pacer.nanosUntilDue(event.observedAt());
            if (waitNanos > 0) {
                sink.flush();
                // pacing the publisher to the scenario's clock, not waiting for a condition
                TimeUnit.NANOSECONDS.sleep(waitNanos);
            }
            sink.publish(event);
        }
        sink.flush();
        return true;
    }
}
