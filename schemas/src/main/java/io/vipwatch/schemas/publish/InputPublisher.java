package io.vipwatch.schemas.publish;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
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
 * The one producer of input events, used by {@code vipwatch replay} and the collectors: key = the event's key, value
 * = Avro single-object encoding, record time = observedAt, partition = the cluster's ({@link ClusterPartitioning}),
 * so the topology sees a cluster's events in the order they were published.
 *
 * <p>The producer is idempotent with {@code acks=all} and one request in flight per connection: a retried batch is
 * written once and batches are never reordered. With several requests in flight, an idempotent producer writing to
 * a just-created partition can have a later batch accepted and the earlier one rejected with
 * {@code OUT_OF_ORDER_SEQUENCE_NUMBER} until it expires (KAFKA-15591, fixed in Kafka 4.5); with one in flight that
 * cannot happen. Client properties given by the caller win over these defaults.
 *
 * <p>A send that fails is logged and re-raised by the next call, so a caller never believes a lost event was
 * written. Thread-safe.
 */
public final class InputPublisher implements AutoCloseable {

    /** How long {@link #close()} waits for an unreachable broker. */
    public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(InputPublisher.class);

    private final KafkaProducer<String, byte[]> producer;
    private final Topics topics;
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final AtomicLong sent = new AtomicLong();
    // topic -> its partition count, asked once
    private final Map<String, Integer> partitions = new ConcurrentHashMap<>();

    public InputPublisher(final Properties clientProperties, final Topics topics) {
        this.producer = new KafkaProducer<>(producerProperties(clientProperties), new StringSerializer(),
                new ByteArraySerializer());
        this.topics = topics;
    }

    /** The client properties with this publisher's defaults added where the caller set nothing. */
    public static Properties producerProperties(final Properties clientProperties) {
        final Properties props = new Properties();
        props.putAll(clientProperties);
        props.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        props.putIfAbsent(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
        props.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "vipwatch-publisher");
        return props;
    }

    public Topics topics() {
        return topics;
    }

    /** Publishes one event to its input topic (asynchronously). @throws IllegalStateException when an earlier send failed */
    public void publish(final InputEvent event) {
        send(topics.topicFor(event), event.cluster(), event.key(), event.observedAt(), InputCodec.encode(event));
    }

    /** A deleted node: a tombstone for {@code cluster/node} on both compacted node topics. */
    public void nodeDeleted(final String cluster, final String node, final long observedAt) {
        final String key = cluster + "/" + node;
        send(topics.nodeAddresses(), cluster, key, observedAt, null);
        send(topics.nodes(), cluster, key, observedAt, null);
    }

    /**
     * Sends one record on the cluster's partition of {@code topic}; a null value is a tombstone.
     *
     * @throws IllegalStateException when an earlier send failed
     */
    public void send(final String topic, final String cluster, final String key, final long timestamp,
            final byte[] value) {
        rethrowFailure();
        final int partition = ClusterPartitioning.partitionOf(cluster,
                partitions.computeIfAbsent(topic, name -> producer.partitionsFor(name).size()));
        producer.send(new ProducerRecord<>(topic, partition, timestamp, key, value), (metadata, error) -> {
            if (error != null) {
                LOG.error("could not publish {} to {}-{}: {}", key, topic, partition, error.toString());
                failure.compareAndSet(null, error);
            }
        });
        sent.incrementAndGet();
    }

    /** Records handed to the producer so far. */
    public long sent() {
        return sent.get();
    }

    /** Waits until everything sent is acknowledged. @throws IllegalStateException naming the first failure */
    public void flush() {
        producer.flush();
        rethrowFailure();
    }

    private void rethrowFailure() {
        final Exception error = failure.get();
        if (error != null) { // sticky: after a lost record, nothing may look published
            throw new IllegalStateException("publishing failed: " + error, error);
        }
    }

    /** Sends what is buffered, waiting at most {@link #CLOSE_TIMEOUT} for an unreachable broker. */
    @Override
    public void close() {
        producer.close(CLOSE_TIMEOUT);
    }
}
