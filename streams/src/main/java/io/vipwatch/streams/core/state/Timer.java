package io.vipwatch.streams.core.state;

/**
 * A wake-up of one VIP or one source at an event time. Ordered by time, then kind, then id, so timers
 * due at the same instant always fire in the same order.
 */
public record Timer(long due, byte kind, String id) implements Comparable<Timer> {

    public static final byte VIP = 'V';
    public static final byte SOURCE = 'S';

    @Override
    public int compareTo(final Timer other) {
        final int byTime = Long.compare(due, other.due);
        if (byTime != 0) {
            return byTime;
        }
        final int byKind = Byte.compare(kind, other.kind);
        return byKind != 0 ? byKind : id.compareTo(other.id);
    }
}
