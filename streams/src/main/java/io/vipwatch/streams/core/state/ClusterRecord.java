package io.vipwatch.streams.core.state;

import java.util.TreeSet;

/** Per cluster: its event-time clock and the VIPs changed at the current millisecond, not yet evaluated. */
public final class ClusterRecord {

    public final String cluster;
    /** Event time of the latest applied events; Long.MIN_VALUE before the first. */
    public long clock = Long.MIN_VALUE;
    /** Wall-clock millis when the clock last moved (for the wall-clock punctuator); 0 in analyze. */
    public long lastAdvanceWall;
    /** IPs touched at {@link #clock}, evaluated once the clock moves on (sorted: deterministic order). */
    public final TreeSet<String> dirty = new TreeSet<>();
    /** Nodes deleted at {@link #clock}: deleted for good once the millisecond is over, whatever came after. */
    public final TreeSet<String> deletedNodes = new TreeSet<>();

    public ClusterRecord(final String cluster) {
        this.cluster = Names.intern(cluster);
    }
}
