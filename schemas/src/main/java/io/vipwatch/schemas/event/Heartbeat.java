package io.vipwatch.schemas.event;

/** A collector or node agent is alive; {@code node} is set for a node agent. */
public record Heartbeat(
        String cluster,
        long observedAt,
        String source,
        String eventId,
        String node,
        long intervalMs) implements InputEvent {

    public static final String TYPE = "heartbeat";
    public static final long DEFAULT_INTERVAL_MS = 10_000;

    @Override
    public String key() {
        return cluster + "/" + source;
    }

    @Override
    public String type() {
        return TYPE;
    }
}
