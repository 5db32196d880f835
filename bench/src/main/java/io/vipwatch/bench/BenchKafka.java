package io.vipwatch.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.vipwatch.schemas.Topics;

/** The broker the benchmarks share: topic creation, offsets, "caught up" and counting committed records. */
final class BenchKafka implements AutoCloseable {

    private static final Duration POLL_EVERY = Duration.ofMillis(50);

    private final Properties client;
    private final Admin admin;

    BenchKafka(final String bootstrapServers) {
        this.client = new Properties();
        client.put("bootstrap.servers", bootstrapServers);
        this.admin = Admin.create(client);
    }

    /** A copy of the client properties (bootstrap servers). */
    Properties client() {
        final Properties copy = new Properties();
        copy.putAll(client);
        return copy;
    }

    Admin admin() {
        return admin;
    }

    /** Every vipwatch topic under {@code prefix}, created with {@code partitions} partitions each. */
    Topics topics(final String prefix, final int partitions) {
        final Topics topics = Topics.withPrefix(prefix);
        topics.ensureCreated(admin, partitions, (short) 1);
        Topics.awaitLeaders(admin, topics.all().stream().map(Topics.Spec::name).toList(), Duration.ofSeconds(60));
        return topics;
    }

    /** Creates {@code name} with {@code partitions} partitions unless it exists. */
    void createTopic(final String name, final int partitions) {
        try {
            if (!admin.listTopics().names().get().contains(name)) {
                admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
                        .all().get();
            }
            Topics.awaitLeaders(admin, List.of(name), Duration.ofSeconds(60));
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (final ExecutionException e) {
            throw new IllegalStateException("could not create " + name + ": " + e.getCause(), e);
        }
    }

    /** The read_committed end offset of every partition of {@code topics}. */
    Map<TopicPartition, Long> endOffsets(final List<String> topics) {
        try {
            final Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
            admin.describeTopics(topics).allTopicNames().get().forEach((topic, description) ->
                    description.partitions().forEach(p -> specs.put(new TopicPartition(topic, p.partition()),
                            OffsetSpec.latest())));
            final Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(specs, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get()
                    .forEach((partition, info) -> ends.put(partition, info.offset()));
            return ends;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (final ExecutionException e) {
            throw new IllegalStateException("could not read the end offsets of " + topics + ": " + e.getCause(), e);
        }
    }

    /**
     * How far {@code group} has committed {@code ends}: the records below its committed offsets (-1 when the group
     * has committed nothing yet), and whether it reached every end.
     */
    record Committed(long records, boolean atEnd) {
    }

    Committed committed(final String group, final Map<TopicPartition, Long> ends) {
        try {
            final Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            long records = committed.isEmpty() ? -1 : 0;
            boolean atEnd = true;
            for (final Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
                final OffsetAndMetadata at = committed.get(end.getKey());
                if (at != null) {
                    records += Math.min(at.offset(), end.getValue());
                }
                if (end.getValue() > 0 && (at == null || at.offset() < end.getValue())) {
                    atEnd = false;
                }
            }
            return new Committed(records, atEnd);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (final ExecutionException e) {
            return new Committed(-1, false); // the group is not there yet
        }
    }

    /**
     * When a group worked through its input: when it first committed anything (and how many records that
     * covered) and when it reached the end. Offsets count records here (the inputs are not transactional).
     */
    record Progress(long firstCommitNanos, long firstCommitRecords, long doneNanos) {
    }

    /**
     * Waits until {@code group} has committed every partition of {@code topics} to its current end.
     *
     * @param failure checked on every poll: a stopped application fails the wait at once
     * @throws IllegalStateException after {@code timeout}
     */
    Progress awaitCommitted(final String group, final List<String> topics, final Duration timeout,
            final Runnable failure) {
        final Map<TopicPartition, Long> ends = endOffsets(topics);
        final long deadline = System.nanoTime() + timeout.toNanos();
        long firstNanos = -1;
        long firstRecords = 0;
        while (true) {
            final Committed committed = committed(group, ends);
            final long now = System.nanoTime();
            if (firstNanos < 0 && committed.records() > 0) {
                firstNanos = now;
                firstRecords = committed.records();
            }
            if (committed.atEnd()) {
                return new Progress(firstNanos < 0 ? now : firstNanos, firstRecords, now);
            }
            failure.run();
            if (now > deadline) {
                throw new IllegalStateException(group + " did not consume " + topics + " within " + timeout.toSeconds()
                        + " s");
            }
            pause(POLL_EVERY);
        }
    }

    /**
     * Reads the committed records of {@code topic} from {@code from} to the current ends, handing each to
     * {@code sink}; returns how many.
     */
    long read(final String topic, final Map<TopicPartition, Long> from,
            final Consumer<ConsumerRecord<String, byte[]>> sink) {
        final Map<TopicPartition, Long> ends = endOffsets(List.of(topic));
        final Properties props = client();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        long count = 0;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            final List<TopicPartition> partitions = new ArrayList<>(ends.keySet());
            consumer.assign(partitions);
            for (final TopicPartition partition : partitions) {
                consumer.seek(partition, from.getOrDefault(partition, 0L));
            }
            final long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end");
                }
                for (final ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() < ends.get(new TopicPartition(record.topic(), record.partition()))) {
                        sink.accept(record);
                        count++;
                    }
                }
            }
        }
        return count;
    }

    static void pause(final Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
