package io.vipwatch.schemas.policy;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The dead-letter contract of every vipwatch role (streams and store): what a record on {@code vipwatch.dlq.v1}
 * holds. Key: the original key bytes. Value: the original value bytes — or none when they could not be sent
 * (larger than {@link #MAX_VALUE_BYTES}, e.g. a value that arrived compressed): the record is then a reference,
 * with {@link #VALUE_OMITTED} set and the source topic, partition, offset and size to find the original. Headers
 * (UTF-8 text):
 *
 * <ul>
 * <li>{@value #TOPIC}, {@value #PARTITION}, {@value #OFFSET}: where the original record is</li>
 * <li>{@value #REASON}: the {@link DeadLetterReason} code</li>
 * <li>{@value #DETAIL}: the reason code, {@code ": "} and what exactly is wrong (at most 4 KiB)</li>
 * <li>{@value #ROLE}: {@code streams} or {@code store}</li>
 * <li>{@value #SIZE}: the original value's size in bytes ({@code -1} for a null value)</li>
 * <li>{@value #VALUE_OMITTED}: {@code true} when the value (or a key over 64 KiB) is left out</li>
 * <li>{@code __streams.errors.topic}, {@code .partition}, {@code .offset}, {@code .message} (= the detail): the
 * same, under the names of Kafka Streams' built-in dead-letter queue, kept for consumers written against it</li>
 * </ul>
 *
 * <p>The record time is the original record's, never later than the wall clock, so the broker never refuses it.
 */
public final class DeadLetters {

    public static final String TOPIC = "vipwatch.dlq.topic";
    public static final String PARTITION = "vipwatch.dlq.partition";
    public static final String OFFSET = "vipwatch.dlq.offset";
    public static final String REASON = "vipwatch.dlq.reason";
    public static final String DETAIL = "vipwatch.dlq.detail";
    public static final String ROLE = "vipwatch.dlq.role";
    public static final String SIZE = "vipwatch.dlq.size";
    public static final String VALUE_OMITTED = "vipwatch.dlq.value-omitted";
    public static final String STREAMS_TOPIC = "__streams.errors.topic";
    public static final String STREAMS_PARTITION = "__streams.errors.partition";
    public static final String STREAMS_OFFSET = "__streams.errors.offset";
    public static final String STREAMS_MESSAGE = "__streams.errors.message";

    /**
     * The largest original value (plus key) sent along: well below the producers' default {@code max.request.size}
     * (1 MiB) with room for the headers, so a dead letter is never too large to send.
     */
    public static final int MAX_VALUE_BYTES = 900 * 1024;
    /** A key larger than this is left out too (the reference still finds the original). */
    public static final int MAX_KEY_BYTES = 64 * 1024;
    private static final int MAX_DETAIL_CHARS = 4096;

    private DeadLetters() {
    }

    /** The dead letter of one original record. */
    public static ProducerRecord<byte[], byte[]> record(final String dlqTopic, final String role, final String topic,
            final int partition, final long offset, final long timestamp, final byte[] key, final byte[] value,
            final DeadLetterReason reason, final String detail, final long wallNowMs) {
        final Headers headers = new RecordHeaders();
        final String message = detail(reason, detail);
        final byte[] keptKey = key != null && key.length > MAX_KEY_BYTES ? null : key;
        final boolean omit = value != null && value.length + (keptKey == null ? 0 : keptKey.length) > MAX_VALUE_BYTES;
        add(headers, TOPIC, topic);
        add(headers, PARTITION, Integer.toString(partition));
        add(headers, OFFSET, Long.toString(offset));
        add(headers, REASON, reason.code());
        add(headers, DETAIL, message);
        add(headers, ROLE, role);
        add(headers, SIZE, Integer.toString(value == null ? -1 : value.length));
        if (omit || keptKey != key) {
            add(headers, VALUE_OMITTED, "true");
        }
        add(headers, STREAMS_TOPIC, topic);
        add(headers, STREAMS_PARTITION, Integer.toString(partition));
        add(headers, STREAMS_OFFSET, Long.toString(offset));
        add(headers, STREAMS_MESSAGE, message);
        final Long time = timestamp < 0 ? null : Math.min(timestamp, wallNowMs);
        return new ProducerRecord<>(dlqTopic, null, time, keptKey, omit ? null : value, headers);
    }

    /** The detail header: reason code, ": ", the detail, at most 4 KiB, without NUL. */
    public static String detail(final DeadLetterReason reason, final String detail) {
        String text = reason.code() + ": " + (detail == null ? reason.code() : detail);
        if (text.length() > MAX_DETAIL_CHARS) {
            text = text.substring(0, MAX_DETAIL_CHARS) + "…";
        }
        return text.replace('\0', '?');
    }

    /** A header's text, or null. */
    public static String header(final Headers headers, final String name) {
        final Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static void add(final Headers headers, final String name, final String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
