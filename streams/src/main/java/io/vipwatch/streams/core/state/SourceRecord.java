package io.vipwatch.streams.core.state;

/** A collector or node agent that has sent heartbeats. */
public final class SourceRecord {

    private final String source;
    /** The node of a node agent, or null. */
    private String node;
    private long lastHeartbeat;
    private String lastEventId;
    /** The COLLECTOR_SILENT lifecycle of this source (only open/openedAt/seq/nodes are used). */
    private final Condition silent = new Condition();
    /** The pending wake-up (last heartbeat + silence-after), or -1. */
    private long wakeAt = -1;

    public SourceRecord(final String source) {
        this.source = Names.intern(source);
    }

    public String source() {
        return source;
    }

    /** The node of a node agent, or null. */
    public String node() {
        return node;
    }

    public long lastHeartbeat() {
        return lastHeartbeat;
    }

    public String lastEventId() {
        return lastEventId;
    }

    /** The COLLECTOR_SILENT lifecycle of this source (only open/openedAt/seq/nodes are used). */
    public Condition silent() {
        return silent;
    }

    /** The pending wake-up (last heartbeat + silence-after), or -1. */
    public long wakeAt() {
        return wakeAt;
    }

    /** The latest heartbeat: when, its event, and the node whose agent this is (null: a collector). */
    public void heard(final long at, final String eventId, final String agentNode) {
        this.lastHeartbeat = at;
        this.lastEventId = eventId;
        this.node = agentNode;
    }

    public void setWakeAt(final long at) {
        this.wakeAt = at;
    }
}
