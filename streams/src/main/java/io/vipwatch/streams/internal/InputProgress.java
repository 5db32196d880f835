package io.vipwatch.streams.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How far the application has read its inputs: the end offsets (read_committed) of its source partitions
 * and the offsets its consumer group committed, refreshed in the background every interval. The detect
 * processor asks it whether its task has caught up before letting the wall clock move quiet clusters on:
 * a clock moved by the wall clock while the cluster's events still wait in a partition would decide them
 * late, and live would no longer equal {@code vipwatch analyze}.
 */
public class InputProgress implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InputProgress.class);

    private final Admin admin;
    private final String groupId;
    private final List<String> topics;
    private final ScheduledExecutorService refresher;
    /** Partition counts by topic: the inputs' read at start, the others once they exist. */
    private final Map<String, Integer> partitions;
    private volatile Snapshot current = new Snapshot(Map.of(), Map.of(), Map.of());
    private volatile Snapshot previous = new Snapshot(Map.of(), Map.of(), Map.of());

    /** End offsets and committed offsets at one refresh. */
    /**
     * {@code starts}: each partition's log start offset. A partition the group never read (nothing committed, nothing
     * processed) is caught up when nothing is left on it: empty (a topic no one writes to, e.g. the wire topic of a
     * fleet without probers) or all of it deleted by retention.
     */
    private record Snapshot(Map<TopicPartition, Long> ends, Map<TopicPartition, Long> committed,
            Map<TopicPartition, Long> starts) {
    }

    private InputProgress() {
        this.admin = null;
        this.groupId = null;
        this.topics = List.of();
        this.refresher = null;
        this.partitions = Map.of();
    }

    private InputProgress(final Admin admin, final String groupId, final Collection<String> topics,
            final Map<String, Integer> partitions, final Duration interval) {
        this.admin = admin;
        this.groupId = groupId;
        this.topics = List.copyOf(topics);
        this.partitions = new ConcurrentHashMap<>(partitions);
        this.refresher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            final Thread thread = new Thread(runnable, "vipwatch-input-progress");
            thread.setDaemon(true);
            return thread;
        });
        final long millis = Math.max(50, interval.toMillis());
        refresher.scheduleWithFixedDelay(this::refresh, 0, millis, TimeUnit.MILLISECONDS);
    }

    /** For a topology driven without a broker (tests): always caught up, partition counts unknown. */
    public static InputProgress caughtUp() {
        return answering(() -> true);
    }

    /** For a topology driven without a broker (tests): caught up when {@code caughtUp} says so. */
    public static InputProgress answering(final BooleanSupplier caughtUp) {
        return new InputProgress() {
            @Override
            public boolean caughtUp(final int partition, final List<String> taskTopics,
                    final Map<String, Long> processedNext, final List<String> upstream) {
                return caughtUp.getAsBoolean();
            }
        };
    }

    /**
     * Starts the background refresh of the offsets of {@code topics} (their partition counts are read now) and
     * of {@code later} (topics the application creates itself, e.g. its repartition topic: read once they exist).
     *
     * @throws IllegalStateException naming the topics when one of {@code topics} cannot be described
     */
    public static InputProgress start(final Properties client, final String groupId, final Collection<String> topics,
            final Collection<String> later, final Duration interval) {
        final Admin admin = Admin.create(client);
        try {
            final Map<String, Integer> partitions = new HashMap<>();
            for (final TopicDescription description : admin.describeTopics(topics).allTopicNames()
                    .get(30, TimeUnit.SECONDS).values()) {
                partitions.put(description.name(), description.partitions().size());
            }
            final List<String> all = new ArrayList<>(topics);
            all.addAll(later);
            return new InputProgress(admin, groupId, all, partitions, interval);
        } catch (final ExecutionException | TimeoutException e) {
            admin.close(Duration.ofSeconds(5));
            throw new IllegalStateException("cannot describe the input topics " + topics + ": "
                    + (e.getCause() == null ? e : e.getCause().getMessage()), e);
        } catch (final InterruptedException e) {
            admin.close(Duration.ofSeconds(5));
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing the input topics", e);
        }
    }

    /** Partition count of a topic known at start, or -1. */
    public int partitions(final String topic) {
        return partitions.getOrDefault(topic, -1);
    }

    /** Partition counts of every topic known so far. */
    public Map<String, Integer> partitionCounts() {
        return Map.copyOf(partitions);
    }

    /**
     * The end offset (read_committed) of {@code partition} at the last refresh, or -1 when not known (yet).
     */
    public long endOffset(final TopicPartition partition) {
        return current.ends.getOrDefault(partition, -1L);
    }

    /**
     * Whether a task has read everything that was on its partitions at the last refresh: for partition
     * {@code partition} of each of {@code taskTopics}, the next offset it processed ({@code processedNext}, by
     * topic) or the group's committed offset, whichever is further, is at the end offset. {@code upstream} topics (read by another
     * sub-topology that feeds this task through a repartition topic) must be committed up to where they ended
     * one refresh earlier, on every partition. Unknown end offsets (before the first refresh) count as behind.
     */
    public boolean caughtUp(final int partition, final List<String> taskTopics,
            final Map<String, Long> processedNext, final List<String> upstream) {
        final Snapshot now = current;
        for (final String topic : taskTopics) {
            final TopicPartition tp = new TopicPartition(topic, partition);
            final Long end = now.ends.get(tp);
            if (end == null) {
                return false;
            }
            final long position = Math.max(Math.max(processedNext.getOrDefault(topic, -1L),
                    now.committed.getOrDefault(tp, -1L)), now.starts.getOrDefault(tp, -1L));
            if (position < end) {
                return false;
            }
        }
        if (!upstream.isEmpty()) {
            final Snapshot before = previous;
            for (final String topic : upstream) {
                final int count = partitions(topic);
                for (int p = 0; p < count; p++) {
                    final TopicPartition tp = new TopicPartition(topic, p);
                    final Long end = before.ends.get(tp);
                    if (end == null || Math.max(now.committed.getOrDefault(tp, -1L), now.starts.getOrDefault(tp, -1L)) < end) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    private void refresh() {
        try {
            for (final String topic : topics) {
                if (!partitions.containsKey(topic)) {
                    try {
                        final TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                                .get(10, TimeUnit.SECONDS).get(topic);
                        partitions.put(topic, description.partitions().size());
                    } catch (final ExecutionException notYet) {
                        return; // not created yet: behind until it is
                    }
                }
            }
            final Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
            for (final String topic : topics) {
                for (int p = 0; p < partitions(topic); p++) {
                    specs.put(new TopicPartition(topic, p), OffsetSpec.latest());
                }
            }
            // the three requests go out together (not one after the other), the end offsets last, so that the
            // snapshot's ends are no staler than they were before start offsets were read too (the main consumer's
            // lag counts them: BrokerLagClientSupplier)
            final Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            specs.keySet().forEach(tp -> earliest.put(tp, OffsetSpec.earliest()));
            final var startsFuture = admin.listOffsets(earliest).all();
            final var committedFuture = admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata();
            final var endsFuture = admin.listOffsets(specs, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                    .all();
            final Map<TopicPartition, Long> ends = new HashMap<>();
            endsFuture.get(10, TimeUnit.SECONDS).forEach((tp, info) -> ends.put(tp, info.offset()));
            final Map<TopicPartition, Long> starts = new HashMap<>();
            startsFuture.get(10, TimeUnit.SECONDS).forEach((tp, info) -> starts.put(tp, info.offset()));
            final Map<TopicPartition, Long> committed = new HashMap<>();
            committedFuture.get(10, TimeUnit.SECONDS).forEach((tp, offset) -> {
                if (offset != null) {
                    committed.put(tp, offset.offset());
                }
            });
            previous = current;
            current = new Snapshot(ends, committed, starts);
        } catch (final ExecutionException | TimeoutException e) {
            LOG.debug("input progress refresh failed (the wall clock waits): {}", e.toString());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (final RuntimeException e) {
            LOG.warn("input progress refresh failed (the wall clock waits)", e);
        }
    }

    @Override
    public void close() {
        if (refresher != null) {
            refresher.shutdownNow();
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
    }
}
