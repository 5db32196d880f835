package io.vipwatch.collector.publish;

import java.util.Properties;

import io.vipwatch.schemas.Topics;
import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.schemas.publish.InputPublisher;

/**
 * A collector's events to their input topics through the shared {@link InputPublisher} (idempotent, in order, on
 * the cluster's partition, record time = observedAt). A send that fails is re-raised on the next call, so a caller
 * never believes a lost event was written.
 */
public final class KafkaEventSink implements EventSink {

    private final InputPublisher publisher;

    public KafkaEventSink(final Properties clientProperties, final Topics topics) {
        this.publisher = new InputPublisher(clientProperties, topics);
    }

    /** The producer underneath, shared with the collector's memory of what it published. */
    public InputPublisher publisher() {
        return publisher;
    }

    @Override
    public void publish(final InputEvent event) {
        publisher.publish(event);
    }

    @Override
    public void nodeDeleted(final String cluster, final String node, final long observedAt, final String source) {
        publisher.nodeDeleted(cluster, node, observedAt);
    }

    @Override
    public void flush() {
        publisher.flush();
    }

    /** Sends what is buffered, waiting at most {@link InputPublisher#CLOSE_TIMEOUT} for an unreachable broker. */
    @Override
    public void close() {
        publisher.close();
    }
}
