package io.vipwatch.streams;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.vipwatch.schemas.ClusterPartitioning;
import io.vipwatch.schemas.Topics;
import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.schemas.serde.InputCodec;

/**
 * Publishes input events to their topics as Avro, with the event time as record timestamp. Records are
 * partitioned by cluster (murmur2 of the cluster id, like Kafka's default partitioner does for keys), so
 * all of a cluster's events share one partition index on every input topic: the topology's upstream task
 * for that cluster then merges them in time order, and live detection equals {@code vipwatch analyze}.
 */
public final class Replayer implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;
    private final Topics topics;
    private final Map<String, Integer> partitions = new HashMap<>(); // topic -> partition count
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private long sent;

    public Replayer(final Properties clientProperties, final Topics topics) {
        final Properties props = new Properties();
        props.putAll(clientProperties);
        props.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        // Not idempotent, one request in flight: order is kept and a retried batch may at worst repeat events,
        // which every consumer tolerates (same eventId; snapshots). An idempotent producer writing to freshly
        // created partitions was seen to stall in OUT_OF_ORDER_SEQUENCE until its delivery timeout (CI).
        props.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        props.putIfAbsent(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "10");
        props.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
        props.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        this.topics = topics;
    }

    /** The partition of a cluster on a topic with {@code count} partitions. */
    public static int partitionOf(final String cluster, final int count) {
        return ClusterPartitioning.partitionOf(cluster, count);
    }

    /** Sends one event (asynchronously). @throws IllegalStateException when an earlier send failed */
    public void send(final InputEvent event) {
        final Exception earlier = failure.get();
        if (earlier != null) {
            throw new IllegalStateException("publishing failed: " + earlier.getMessage(), earlier);
        }
        final String topic = topics.topicFor(event);
        final int count = partitions.computeIfAbsent(topic, t -> producer.partitionsFor(t).size());
        producer.send(new ProducerRecord<>(topic, partitionOf(event.cluster(), count), event.observedAt(),
                event.key(), InputCodec.encode(event)), (metadata, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
        sent++;
    }

    public long sent() {
        return sent;
    }

    /** Waits until every event sent is acknowledged. @throws IllegalStateException naming the failure */
    public void flush() {
        producer.flush();
        final Exception e = failure.get();
        if (e != null) {
            throw new IllegalStateException("publishing failed: " + (e instanceof ExecutionException ? e.getCause() : e),
                    e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
