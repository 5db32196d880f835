package io.vipwatch.streams.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.LongSupplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaClientSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * The consumer takes a third look of its own after a quiet spell ({@link MainConsumer}).
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

    /**
     * The stream thread's consumer; Kafka Streams calls {@link #poll} and {@link #currentLag} from that thread only.
     *
     * <p>After a quiet spell (a poll that returned nothing), the first poll that returns records also reads the end
     * offsets of the assigned partitions it returned nothing for (one request, read_committed) before it hands the
     * records over. Their lag from before the quiet spell says 0 and their idle wait ran out during it, yet a burst
     * may have reached them: written a moment after the partition whose data answered the fetch, or fetched with it
     * but not handed out ({@code max.poll.records}: the position moves only when a poll returns a record, so the end
     * offset counts those too). Without this look the task read the first partition's burst minutes of event time
     * ahead of theirs (FaultMatrixIT.burstsAfterQuietSpellsAreReadInTimeOrder failed 8 of 8 runs; with it, 10 of 10
     * passed).
     */
    static final class MainConsumer extends KafkaConsumer<byte[], byte[]> {

        /** How long the end-offset look after a quiet spell may hold up the stream thread. */
        static final Duration END_OFFSETS_TIMEOUT = Duration.ofSeconds(5);

        private static final Logger LOG = LoggerFactory.getLogger(MainConsumer.class);

        private final InputProgress progress;
        private final Map<TopicPartition, Long> endsAfterQuiet = new HashMap<>();
        private boolean quiet = true;

        MainConsumer(final Map<String, Object> config, final InputProgress progress) {
            super(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            this.progress = progress;
        }

        @Override
        public ConsumerRecords<byte[], byte[]> poll(final Duration timeout) {
            final ConsumerRecords<byte[], byte[]> records = super.poll(timeout);
            if (records.isEmpty()) {
                quiet = true;
            } else if (quiet) {
                quiet = false;
                final Set<TopicPartition> others = new HashSet<>(assignment());
                others.removeAll(records.partitions());
                endsAfterQuiet.clear();
                if (!others.isEmpty()) {
                    try {
                        endsAfterQuiet.putAll(endOffsets(others, END_OFFSETS_TIMEOUT));
                    } catch (final TimeoutException e) { // the Admin client's end offsets still count
                        LOG.warn("could not read the end offsets of {} after a quiet spell: {}", others, e.toString());
                    }
                }
            }
            return records;
        }

        @Override
        public OptionalLong currentLag(final TopicPartition partition) {
            final OptionalLong fetched = super.currentLag(partition);
            if (fetched.isEmpty() || fetched.getAsLong() > 0) {
                return fetched;
            }
            final long end = Math.max(progress.endOffset(partition), endsAfterQuiet.getOrDefault(partition, -1L));
            return brokerLag(fetched, end, () -> position(partition, Duration.ZERO));
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
