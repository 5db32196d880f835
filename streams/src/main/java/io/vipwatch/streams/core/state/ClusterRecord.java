package io.vipwatch.streams.core.state;

import java.util.TreeSet;

/** Per cluster: its event-time clock and the VIPs changed at the current millisecond, not yet evaluated. */
public final class ClusterRecord {

    private final String cluster;
    /** Event time of the latest applied events; Long.MIN_VALUE before the first. */
    private long clock = Long.MIN_VALUE;
    /** Wall-clock millis when the clock last moved (for the wall-clock punctuator); 0 in analyze. */
    private long lastAdvanceWall;
    /** IPs touched at {@link #clock}, evaluated once the clock moves on (sorted: deterministic order). */
    private final TreeSet<String> dirty = new TreeSet<>();
    /** Nodes deleted at {@link #clock}: deleted for good once the millisecond is over, whatever came after. */
    private final TreeSet<String> deletedNodes = new TreeSet<>();

    public ClusterRecord(final String cluster) {
        this.cluster = Names.intern(cluster);
    }

    public String cluster() {
        return cluster;
    }

    /** Event time of the latest applied events; Long.MIN_VALUE before the first. */
    public long clock() {
        return clock;
    }

    /** Wall-clock millis when the clock last moved (for the wall-clock punctuator); 0 in analyze. */
    public long lastAdvanceWall() {
        return lastAdvanceWall;
    }

    /** The clock moves to {@code time}, at wall-clock millis {@code wall}. */
    public void advance(final long time, final long wall) {
        this.clock = time;
        this.lastAdvanceWall = wall;
    }

    /** IPs touched at {@link #clock()}, evaluated once the clock moves on (sorted: deterministic order); live. */
    public TreeSet<String> dirty() {
        return dirty;
    }

    /** Nodes deleted at {@link #clock()}: deleted for good once the millisecond is over, whatever came after; live. */
    public TreeSet<String> deletedNodes() {
        return deletedNodes;
    }
}
