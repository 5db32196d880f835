package io.vipwatch.store.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import io.vipwatch.schemas.policy.DeadLetterReason;
import io.vipwatch.schemas.policy.DeadLetters;
import io.vipwatch.store.internal.Rows.DeadLetter;

/**
 * Sends records the sink cannot store to the dead-letter topic, by the contract of every role
 * ({@link DeadLetters}: the original key and bytes — a reference when they are too large to send — with headers
 * naming the source topic, partition, offset, size and the reason). The sink stores a batch only after its dead
 * letters are acknowledged, so none is lost; after a crash between the two a dead letter may be sent twice.
 */
public final class DeadLetterPublisher implements AutoCloseable {

    /** The contract's header names ({@link DeadLetters}), kept here for existing callers. */
    public static final String HEADER_TOPIC = DeadLetters.TOPIC;
    public static final String HEADER_PARTITION = DeadLetters.PARTITION;
    public static final String HEADER_OFFSET = DeadLetters.OFFSET;
    public static final String HEADER_REASON = DeadLetters.REASON;
    public static final String HEADER_DETAIL = DeadLetters.DETAIL;
    public static final String HEADER_ROLE = DeadLetters.ROLE;

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;

    public DeadLetterPublisher(final Properties clientProperties, final String topic) {
        final Properties props = new Properties();
        props.putAll(clientProperties);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "vipwatch-store-dlq");
        this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        this.topic = topic;
    }

    /** Sends and waits for every acknowledgement. */
    void publish(final List<DeadLetter> deadLetters) {
        if (deadLetters.isEmpty()) {
            return;
        }
        final List<Future<RecordMetadata>> sent = new ArrayList<>(deadLetters.size());
        final long now = System.currentTimeMillis();
        for (final DeadLetter letter : deadLetters) {
            sent.add(producer.send(DeadLetters.record(topic, "store", letter.topic(), letter.partition(),
                    letter.kafkaOffset(), -1, letter.recordKey() == null ? null
                            : letter.recordKey().getBytes(StandardCharsets.UTF_8), letter.value(),
                    DeadLetterReason.ofCode(letter.reason()), stripCode(letter.reason(), letter.detail()), now)));
        }
        producer.flush();
        for (final Future<RecordMetadata> future : sent) {
            try {
                future.get();
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while sending dead letters to " + topic, e);
            } catch (final ExecutionException e) {
                throw new IllegalStateException("could not send a dead letter to " + topic + ": "
                        + e.getCause().getMessage(), e.getCause());
            }
        }
    }

    private static String stripCode(final String reason, final String detail) {
        return detail != null && detail.startsWith(reason + ": ") ? detail.substring(reason.length() + 2) : detail;
    }

    @Override
    public void close() {
        producer.close();
    }
}
