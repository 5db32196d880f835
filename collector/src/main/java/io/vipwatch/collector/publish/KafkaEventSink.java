package io.vipwatch.collector.publish;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vipwatch.schemas.ClusterPartitioning;
import io.vipwatch.schemas.Topics;
import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.schemas.serde.InputCodec;

/**
 * Publishes events to their input topics in order (acks=all, one request in flight): key = the event's key, value = Avro
 * single-object encoding, timestamp = observedAt, partition = the cluster's ({@link ClusterPartitioning}, so
 * the topology sees a cluster's events in order). A send that fails is logged and re-raised on the next call,
 * so a caller never believes a lost event was written.
 */
public final class KafkaEventSink implements EventSink {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaEventSink.class);
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final KafkaProducer<String, byte[]> producer;
    private final Topics topics;
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final Map<String, Integer> partitions = new ConcurrentHashMap<>(); // topic -> partition count

    public KafkaEventSink(final Properties clientProperties, final Topics topics) {
        final Properties props = new Properties();
        props.putAll(clientProperties);
        // Not idempotent, one request in flight: order is kept and a retried batch may at worst repeat events,
        // which every consumer tolerates (same eventId; snapshots). An idempotent producer writing to freshly
        // created partitions was seen to stall in OUT_OF_ORDER_SEQUENCE until its delivery timeout (CI).
        props.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        props.putIfAbsent(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        props.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "vipwatch-publisher");
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        this.topics = topics;
    }

    @Override
    public void publish(final InputEvent event) {
        send(topics.topicFor(event), event.cluster(), event.observedAt(), event.key(), InputCodec.encode(event));
    }

    @Override
    public void nodeDeleted(final String cluster, final String node, final long observedAt, final String source) {
        final String key = cluster + "/" + node;
        send(topics.nodeAddresses(), cluster, observedAt, key, null);
        send(topics.nodes(), cluster, observedAt, key, null);
    }

    private void send(final String topic, final String cluster, final long timestamp, final String key,
            final byte[] value) {
        rethrowFailure();
        final int partition = ClusterPartitioning.partitionOf(cluster,
                partitions.computeIfAbsent(topic, name -> producer.partitionsFor(name).size()));
        producer.send(new ProducerRecord<>(topic, partition, timestamp, key, value), (metadata, error) -> {
            if (error != null) {
                LOG.error("could not publish {} to {}: {}", key, topic, error.toString());
                failure.compareAndSet(null, error);
            }
        });
    }

    private void rethrowFailure() {
        final Exception error = failure.getAndSet(null);
        if (error != null) {
            throw new IllegalStateException("an earlier publish failed: " + error.getMessage(), error);
        }
    }

    @Override
    public void flush() {
        producer.flush();
        rethrowFailure();
    }

    /** Sends what is buffered, waiting at most {@link #CLOSE_TIMEOUT} for an unreachable broker. */
    @Override
    public void close() {
        producer.close(CLOSE_TIMEOUT);
    }
}
