package io.vipwatch.collector.publish;

import io.vipwatch.schemas.event.InputEvent;

/**
 * Where a collector's observations go: Kafka in production, a recording file for capture without Kafka.
 * Implementations are thread-safe.
 */
public interface EventSink extends AutoCloseable {

    /** Publishes one event under its own key, with its observedAt as the record time. */
    void publish(InputEvent event);

    /**
     * A deleted node: a tombstone for {@code cluster/node} on the compacted node topics. In a recording it is a
     * node-addresses line with {@code "deleted":true}.
     */
    void nodeDeleted(String cluster, String node, long observedAt, String source);

    /** Blocks until everything published so far is written. */
    void flush();

    @Override
    void close();
}
