package io.vipwatch.streams.core.state;

import java.util.List;

/**
 * The lifecycle of one condition of one VIP (or of a source's silence): when it started or stopped
 * holding, and the episode that is open. Times are event-time epoch millis, {@code -1} for "not".
 */
public final class Condition {

    /** When the condition started holding while no alert was open; the alert opens at this + grace. */
    private long activeSince = -1;
    /** When the condition stopped holding while the alert was open; it resolves at this + grace. */
    private long inactiveSince = -1;
    private boolean open;
    private long openedAt = -1;
    /** Transitions emitted in this episode so far (OPENED is 0). */
    private int seq;
    /** What the last transition said, to tell an UPDATED from nothing new. */
    private List<String> nodes = List.of();
    private String service;
    private String hint;

    /** When the condition started holding while no alert was open, or -1; the alert opens at this + grace. */
    public long activeSince() {
        return activeSince;
    }

    /** When the condition stopped holding while the alert was open, or -1; it resolves at this + grace. */
    public long inactiveSince() {
        return inactiveSince;
    }

    /** An alert (episode) is open. */
    public boolean isOpen() {
        return open;
    }

    /** When the open episode opened, or -1. */
    public long openedAt() {
        return openedAt;
    }

    /** Transitions emitted in this episode so far (OPENED is 0). */
    public int seq() {
        return seq;
    }

    /** The nodes the last transition named. */
    public List<String> nodes() {
        return nodes;
    }

    /** The Service the last transition named, or null. */
    public String service() {
        return service;
    }

    /** The hint of the last transition, or null. */
    public String hint() {
        return hint;
    }

    /** True when nothing is pending and nothing is open: the condition need not be stored. */
    public boolean idle() {
        return !open && activeSince < 0;
    }

    /** No alert open: the condition holds since {@code t}, unless it already held (the first time counts). */
    public void markActive(final long t) {
        if (activeSince < 0) {
            activeSince = t;
        }
    }

    /** The alert is open: the condition stopped holding at {@code t}, unless it already had (the first time counts). */
    public void markInactive(final long t) {
        if (inactiveSince < 0) {
            inactiveSince = t;
        }
    }

    /** The alert is open and the condition holds (again): it is no longer resolving. */
    public void clearInactive() {
        inactiveSince = -1;
    }

    /** Opens an episode at {@code at} saying what the OPENED transition says; nothing is pending any more. */
    public void open(final long at, final List<String> nodes, final String service, final String hint) {
        this.open = true;
        this.openedAt = at;
        this.seq = 0;
        this.activeSince = -1;
        this.inactiveSince = -1;
        say(nodes, service, hint);
    }

    /** One more transition of the open episode (UPDATED), saying this now. */
    public void update(final List<String> nodes, final String service, final String hint) {
        say(nodes, service, hint);
        seq++;
    }

    /** Counts the RESOLVED transition about to be emitted; the episode reads as before until {@link #close()}. */
    public void resolve() {
        seq++;
    }

    /** The episode is over (after its RESOLVED transition): nothing is open. */
    public void close() {
        open = false;
        openedAt = -1;
        seq = 0;
    }

    private void say(final List<String> nodes, final String service, final String hint) {
        this.nodes = nodes;
        this.service = service;
        this.hint = hint;
    }

    /** Every field as stored ({@link StateCodec}, golden state). */
    void restore(final long activeSince, final long inactiveSince, final boolean open, final long openedAt,
            final int seq, final List<String> nodes, final String service, final String hint) {
        this.activeSince = activeSince;
        this.inactiveSince = inactiveSince;
        this.open = open;
        this.openedAt = openedAt;
        this.seq = seq;
        say(nodes, service, hint);
    }
}
