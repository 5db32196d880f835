package io.vipwatch.streams.core.state;

import java.util.List;

/**
 * The lifecycle of one condition of one VIP (or of a source's silence): when it started or stopped
 * holding, and the episode that is open. Times are event-time epoch millis, {@code -1} for "not".
 */
public final class Condition {

    /** When the condition started holding while no alert was open; the alert opens at this + grace. */
    public long activeSince = -1;
    /** When the condition stopped holding while the alert was open; it resolves at this + grace. */
    public long inactiveSince = -1;
    public boolean open;
    public long openedAt = -1;
    /** Transitions emitted in this episode so far (OPENED is 0). */
    public int seq;
    /** What the last transition said, to tell an UPDATED from nothing new. */
    public List<String> nodes = List.of();
    public String service;
    public String hint;

    /** True when nothing is pending and nothing is open: the condition need not be stored. */
    public boolean idle() {
        return !open && activeSince < 0;
    }
}
