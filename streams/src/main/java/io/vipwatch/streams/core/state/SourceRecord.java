package io.vipwatch.streams.core.state;

/** A collector or node agent that has sent heartbeats. */
public final class SourceRecord {

    public final String source;
    /** The node of a node agent, or null. */
    public String node;
    public long lastHeartbeat;
    public String lastEventId;
    /** The COLLECTOR_SILENT lifecycle of this source (only open/openedAt/seq/nodes are used). */
    public final Condition silent = new Condition();
    /** The pending wake-up (last heartbeat + silence-after), or -1. */
    public long wakeAt = -1;

    public SourceRecord(final String source) {
        this.source = Names.intern(source);
    }
}
