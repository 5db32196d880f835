package io.vipwatch.schemas.publish;

/**
 * Paces events in event-time order against the wall clock, the one pacer of {@code vipwatch replay} and the
 * simulated scenarios: an event {@code d} ms after the first is due {@code d / speed} ms after the first was paced.
 * Speed 0 makes every event due at once (as fast as possible). The caller waits as it sees fit (a sleep, or a stop
 * signal that may end the wait early). Not thread-safe.
 */
public final class EventTimePacer {

    private final double speed;
    private long firstEventTime = Long.MIN_VALUE;
    private long wallStart;

    /** @throws IllegalArgumentException when {@code speed} is negative, NaN or infinite */
    public EventTimePacer(final double speed) {
        this.speed = checkSpeed(speed);
    }

    /**
     * Returns {@code speed} if it is 0 or a finite positive number.
     *
     * @throws IllegalArgumentException when {@code speed} is negative, NaN or infinite
     */
    public static double checkSpeed(final double speed) {
        if (!(speed >= 0) || Double.isInfinite(speed)) {
            throw new IllegalArgumentException("speed must be 0 (as fast as possible) or positive, got " + speed);
        }
        return speed;
    }

    /**
     * How many nanoseconds from now the event at {@code eventTime} is due: 0 or less when it is due already. The
     * first call sets the origin, so the first event is always due.
     */
    public long nanosUntilDue(final long eventTime) {
        final long now = System.nanoTime();
        if (firstEventTime == Long.MIN_VALUE) {
            firstEventTime = eventTime;
            wallStart = now;
        }
        if (speed == 0) {
            return 0;
        }
        return wallStart + (long) ((eventTime - firstEventTime) * 1e6 / speed) - now;
    }
}
