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
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.vipwatch.store.internal.Rows.DeadLetter;

/**
 * Sends records the sink cannot store to the dead-letter topic: the original key and bytes, with headers
 * naming the source topic, partition, offset and the reason. The sink stores a batch only after its dead
 * letters are acknowledged, so none is lost; after a crash between the two a dead letter may be sent twice.
 */
public final class DeadLetterPublisher implements AutoCloseable {

    public static final String HEADER_TOPIC = "vipwatch.dlq.topic";
    public static final String HEADER_PARTITION = "vipwatch.dlq.partition";
    public static final String HEADER_OFFSET = "vipwatch.dlq.offset";
    public static final String HEADER_REASON = "vipwatch.dlq.reason";
    public static final String HEADER_DETAIL = "vipwatch.dlq.detail";
    public static final String HEADER_ROLE = "vipwatch.dlq.role";

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;

    public DeadLetterPublisher(final Properties clientProperties, final String topic) {
        final Properties props = new Properties();
        props.putAll(clientProperties);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "vipwatch-store-dlq");
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        this.topic = topic;
    }

    /** Sends and waits for every acknowledgement. */
    void publish(final List<DeadLetter> deadLetters) {
        if (deadLetters.isEmpty()) {
            return;
        }
        final List<Future<RecordMetadata>> sent = new ArrayList<>(deadLetters.size());
        for (final DeadLetter letter : deadLetters) {
            final RecordHeaders headers = new RecordHeaders();
            headers.add(HEADER_TOPIC, utf8(letter.topic()));
            headers.add(HEADER_PARTITION, utf8(Integer.toString(letter.partition())));
            headers.add(HEADER_OFFSET, utf8(Long.toString(letter.kafkaOffset())));
            headers.add(HEADER_REASON, utf8(letter.reason()));
            headers.add(HEADER_DETAIL, utf8(letter.detail()));
            headers.add(HEADER_ROLE, utf8("store"));
            sent.add(producer.send(new ProducerRecord<>(topic, null, null, letter.recordKey(), letter.value(), headers)));
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

    private static byte[] utf8(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close();
    }
}
