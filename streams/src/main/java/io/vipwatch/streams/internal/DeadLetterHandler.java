package io.vipwatch.streams.internal;

import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vipwatch.ops.telemetry.DeadLetterMetrics;
import io.vipwatch.schemas.policy.DeadLetterReason;
import io.vipwatch.schemas.policy.DeadLetters;

/**
 * Kafka Streams' processing exception handler for vipwatch: logs the bad record with task, topic, partition and
 * offset, dead-letters it by the contract of every role ({@link DeadLetters}: the original key and bytes, or a
 * reference when they are too large to send) and continues. It replaces the built-in dead-letter queue, which
 * republishes the original bytes whatever their size: a value that arrived compressed and is larger than the
 * producer's {@code max.request.size} could not be sent, and the retry recursed until the stream thread died.
 */
public final class DeadLetterHandler implements ProcessingExceptionHandler {

    /** Config key: the dead-letter topic (with the tenant's prefix). */
    public static final String DLQ_TOPIC_CONFIG = "vipwatch.dlq.topic";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterHandler.class);

    /** Config key (optional): a {@link DeadLetterMetrics} instance that counts the dead letters by reason and topic. */
    public static final String METRICS_CONFIG = "vipwatch.dlq.metrics";

    private String dlqTopic;
    private DeadLetterMetrics metrics;

    public DeadLetterHandler() {
    }

    @Override
    public void configure(final Map<String, ?> configs) {
        final Object topic = configs.get(DLQ_TOPIC_CONFIG);
        if (topic == null) {
            throw new IllegalArgumentException(DLQ_TOPIC_CONFIG + " is not set");
        }
        dlqTopic = topic.toString();
        if (configs.get(METRICS_CONFIG) instanceof DeadLetterMetrics counting) {
            metrics = counting;
        }
    }

    @Override
    public Response handleError(final ErrorHandlerContext context, final Record<?, ?> record,
            final Exception exception) {
        final DeadLetterReason reason;
        final String detail;
        if (exception instanceof BadRecordException bad) {
            reason = bad.deadLetterReason();
            detail = bad.detail();
        } else {
            reason = DeadLetterReason.UNEXPECTED;
            detail = String.valueOf(exception);
        }
        final byte[] key = context.sourceRawKey();
        final byte[] value = context.sourceRawValue();
        LOG.warn("dead-lettered a record of task {}, topic {}, partition {}, offset {} ({} bytes) in {}: {}",
                context.taskId(), context.topic(), context.partition(), context.offset(),
                value == null ? -1 : value.length, context.processorNodeId(),
                DeadLetters.detail(reason, detail).replace('\n', ' '),
                reason == DeadLetterReason.UNEXPECTED ? exception : null);
        if (metrics != null) {
            metrics.record(reason, context.topic());
        }
        final ProducerRecord<byte[], byte[]> letter = DeadLetters.record(dlqTopic, "streams", context.topic(),
                context.partition(), context.offset(), context.timestamp(), key, value, reason, detail,
                System.currentTimeMillis());
        return Response.resume(List.of(letter));
    }
}
