package io.vipwatch.streams.internal;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import io.vipwatch.schemas.event.InputEvent;

import java.time.Duration;

/**
 * Decodes and validates the records of one input topic and re-keys them by cluster. A bad record throws
 * {@link BadRecordException}; the processing exception handler logs it with topic, partition and offset and
 * sends the original bytes to the dead-letter topic, and processing goes on.
 */
public final class InputDecoder implements Processor<String, byte[], String, InputEvent> {

    private final String baseTopic;
    private final long maxClockSkewMs;
    private ProcessorContext<String, InputEvent> context;

    public InputDecoder(final String baseTopic, final Duration maxClockSkew) {
        this.baseTopic = baseTopic;
        this.maxClockSkewMs = maxClockSkew.toMillis();
    }

    @Override
    public void init(final ProcessorContext<String, InputEvent> context) {
        this.context = context;
    }

    @Override
    public void process(final Record<String, byte[]> record) {
        final long wallNow = context.currentSystemTimeMs();
        final InputEvent event = InputValidation.checkClock(
                InputValidation.decode(baseTopic, record.key(), record.value(), record.timestamp()), wallNow,
                maxClockSkewMs);
        // the repartition topic's record time: the event's, never later than the wall clock (the broker refuses
        // records too far ahead of its own clock, and the detect processor reads the time from the event)
        context.forward(new Record<>(event.cluster(), event, Math.min(event.observedAt(), wallNow), record.headers()));
    }
}
