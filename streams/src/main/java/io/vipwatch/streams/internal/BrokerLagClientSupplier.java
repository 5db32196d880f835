package io.vipwatch.streams.internal;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaClientSupplier;

/**
 * Kafka Streams' clients, with one change to the main consumer: its lag on an input partition also counts what
 * {@link InputProgress} last read from the broker (the end offset, read_committed, refreshed every punctuation
 * interval by an Admin client).
 *
 * <p>Kafka Streams reads the partitions of a task in timestamp order, and for a partition that has nothing buffered
 * it goes by the consumer's lag ({@code Consumer.currentLag}): lag &gt; 0, it waits for the fetch (as long as it
 * takes); lag 0, it waits up to {@code max.task.idle.ms} and then reads the other partitions ahead. The consumer's
 * lag is what its last fetch response for that partition said, which can be stale: after a broker restart or a
 * pause, or right after a fetch woken by another partition of the same produce request. The end offset the Admin
 * client read is a second, independent look at the broker: when it is past the consumer's position, the partition
 * has data that is not fetched yet, so the task waits for it without a deadline instead of idling and then reading
 * ahead. Only a lag of 0 is checked; an unknown lag (no position yet) stays unknown, which makes the task wait too.
 */
public final class BrokerLagClientSupplier implements KafkaClientSupplier {

    private final InputProgress progress;

    public BrokerLagClientSupplier(final InputProgress progress) {
        this.progress = progress;
    }

    @Override
    public Admin getAdmin(final Map<String, Object> config) {
        return Admin.create(config);
    }

    @Override
    public Producer<byte[], byte[]> getProducer(final Map<String, Object> config) {
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Override
    public Consumer<byte[], byte[]> getConsumer(final Map<String, Object> config) {
        return new MainConsumer(config, progress);
    }

    @Override
    public Consumer<byte[], byte[]> getRestoreConsumer(final Map<String, Object> config) {
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @Override
    public Consumer<byte[], byte[]> getGlobalConsumer(final Map<String, Object> config) {
        return getRestoreConsumer(config);
    }

    /** The stream thread's consumer; Kafka Streams calls {@link #currentLag} from that thread only. */
    static final class MainConsumer extends KafkaConsumer<byte[], byte[]> {

        private final InputProgress progress;

        MainConsumer(final Map<String, Object> config, final InputProgress progress) {
            super(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            this.progress = progress;
        }

        @Override
        public OptionalLong currentLag(final TopicPartition partition) {
            final OptionalLong fetched = super.currentLag(partition);
            if (fetched.isEmpty() || fetched.getAsLong() > 0) {
                return fetched;
            }
            return brokerLag(fetched, progress.endOffset(partition), () -> position(partition, Duration.ZERO));
        }
    }

    /**
     * The lag to report for a partition whose fetched lag is {@code fetched} (0): the distance from the position to
     * the broker's end offset read by {@link InputProgress} ({@code end}, -1 when unknown) when that is further;
     * {@code position} throws {@link TimeoutException} when the consumer has no valid position without asking.
     */
    static OptionalLong brokerLag(final OptionalLong fetched, final long end, final LongSupplier position) {
        if (end < 0) {
            return fetched;
        }
        final long at;
        try {
            at = position.getAsLong();
        } catch (final TimeoutException unknown) {
            return fetched;
        }
        return end > at ? OptionalLong.of(end - at) : fetched;
    }
}
