package io.vipwatch.streams.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

import io.vipwatch.schemas.ClusterPartitioning;
import io.vipwatch.schemas.Topics;
import io.vipwatch.schemas.policy.DeadLetterReason;
import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.streams.core.Alert;
import io.vipwatch.streams.core.DetectionSettings;
import io.vipwatch.streams.core.DetectionSink;
import io.vipwatch.streams.core.Detector;
import io.vipwatch.streams.core.OwnershipChange;
import io.vipwatch.streams.core.VipState;

/**
 * Runs the detection core for the clusters of one task and forwards every decision to the sink of its output
 * topic. Input values are either the raw bytes of an input topic (decoded and validated here, the
 * co-partitioned topology) or events already decoded upstream (the repartitioning topology).
 *
 * <p>The task's state lives in memory ({@link TaskState}); what an input changed is written to the
 * changelogged stores right after it. A wall-clock punctuator moves quiet clusters' clocks on so grace timers
 * fire without input — but only once the task has caught up with its input partitions
 * ({@link InputProgress}), so a backlog is decided in event time exactly as {@code vipwatch analyze} decides
 * it, and only for clusters whose clock is within the wall-clock window of now (older clusters are history
 * being replayed: their own events move them). Clusters are visited in the order their next wake-up falls
 * due, never all of them per punctuation.
 */
public final class DetectProcessor implements Processor<String, Object, String, Object>, DetectionSink {

    /** Names of the sink nodes the processor forwards to. */
    public static final String ALERTS_SINK = "write-alerts";
    public static final String OWNERSHIP_SINK = "write-ownership-changes";
    public static final String VIP_STATE_SINK = "write-vip-state";

    private final DetectionSettings config;
    private final Duration punctuationInterval;
    private final boolean wallClockAdvance;
    private final long wallClockWindowMs;
    private final InputProgress progress;
    /** prefixed input topic -> unprefixed name (for decoding raw input bytes). */
    private final Map<String, String> baseTopics;
    /** Topics whose partition (the task's partition number) this task reads. */
    private final List<String> taskTopics;
    /** Topics read by an upstream sub-topology that feeds this task (repartitioning topology only). */
    private final List<String> upstreamTopics;
    /** The clock policy: input events dated further ahead of the wall clock are bad records. */
    private final long maxClockSkewMs;

    private ProcessorContext<String, Object> context;
    private TaskState state;
    private Detector detector;
    /** input topic -> next offset after the last record processed from the task's partition of it. */
    private final Map<String, Long> processedNext = new HashMap<>();
    /** Clusters by the wall time of their next wake-up (see {@link Detector#wallWake}). */
    private final TreeSet<Wake> wakes = new TreeSet<>();
    /** cluster -> its entry in {@link #wakes}. */
    private final Map<String, Wake> wakeOf = new HashMap<>();

    private record Wake(long wall, String cluster) implements Comparable<Wake> {
        @Override
        public int compareTo(final Wake other) {
            final int byWall = Long.compare(wall, other.wall);
            return byWall != 0 ? byWall : cluster.compareTo(other.cluster);
        }
    }

    public DetectProcessor(final DetectionSettings config, final Duration punctuationInterval,
            final boolean wallClockAdvance, final Duration wallClockWindow, final InputProgress progress,
            final Map<String, String> baseTopics, final List<String> taskTopics, final List<String> upstreamTopics,
            final Duration maxClockSkew) {
        this.config = config;
        this.punctuationInterval = punctuationInterval;
        this.wallClockAdvance = wallClockAdvance;
        this.wallClockWindowMs = wallClockWindow.toMillis();
        this.progress = progress;
        this.baseTopics = Map.copyOf(baseTopics);
        this.taskTopics = List.copyOf(taskTopics);
        this.upstreamTopics = List.copyOf(upstreamTopics);
        this.maxClockSkewMs = maxClockSkew.toMillis();
    }

    @Override
    public void init(final ProcessorContext<String, Object> context) {
        this.context = context;
        final KeyValueStore<String, byte[]> clusters = context.getStateStore(Topics.CLUSTERS_STORE);
        final KeyValueStore<String, byte[]> services = context.getStateStore(Topics.SERVICES_STORE);
        final KeyValueStore<String, byte[]> nodes = context.getStateStore(Topics.NODES_STORE);
        final KeyValueStore<String, byte[]> vips = context.getStateStore(Topics.VIPS_STORE);
        final KeyValueStore<String, byte[]> sources = context.getStateStore(Topics.SOURCES_STORE);
        state = new TaskState(clusters, services, nodes, vips, sources);
        state.load();
        detector = new Detector(config, state, this);
        if (wallClockAdvance) {
            for (final String cluster : state.clusters()) {
                reindex(cluster);
            }
            context.schedule(punctuationInterval, PunctuationType.WALL_CLOCK_TIME, this::punctuate);
        }
    }

    @Override
    public void process(final Record<String, Object> record) {
        final RecordMetadata meta = context.recordMetadata().orElse(null);
        if (meta != null) {
            processedNext.put(meta.topic(), meta.offset() + 1);
        }
        final InputEvent event = record.value() instanceof InputEvent decoded ? decoded : decode(record, meta);
        detector.accept(event, context.currentSystemTimeMs());
        state.flush();
        if (wallClockAdvance) {
            reindex(event.cluster());
        }
    }

    /** Raw bytes of an input topic: decoded, validated, and checked to sit on the partition of its cluster. */
    private InputEvent decode(final Record<String, Object> record, final RecordMetadata meta) {
        final String topic = meta == null ? null : meta.topic();
        final String base = baseTopics.get(topic);
        if (base == null) {
            throw new BadRecordException(DeadLetterReason.UNKNOWN_TOPIC, "not an input topic: " + topic);
        }
        final InputEvent event = InputValidation.checkClock(InputValidation.decode(base, record.key(),
                (byte[]) record.value(), record.timestamp()), context.currentSystemTimeMs(), maxClockSkewMs);
        final int partitions = progress.partitions(topic);
        if (partitions > 1) {
            final int expected = ClusterPartitioning.partitionOf(event.cluster(), partitions);
            if (expected != meta.partition()) {
                throw new BadRecordException(DeadLetterReason.MISROUTED, "cluster '" + event.cluster() + "' belongs on partition "
                        + expected + " of " + topic + ", found on partition " + meta.partition()
                        + "; publish input events partitioned by cluster (as vipwatch's collectors and replay do) or "
                        + "run vipwatch streams with --repartition");
            }
        }
        return event;
    }

    private void punctuate(final long wallNow) {
        if (!progress.caughtUp(context.taskId().partition(), taskTopics, processedNext, upstreamTopics)) {
            return; // events wait in the partitions: they move the clocks, not the wall clock
        }
        for (int budget = wakes.size(); budget > 0 && !wakes.isEmpty() && wakes.first().wall() <= wallNow; budget--) {
            final Wake due = wakes.pollFirst();
            wakeOf.remove(due.cluster());
            detector.advanceByWall(due.cluster(), wallNow);
            reindex(due.cluster());
        }
        state.flush();
    }

    /** Puts the cluster where its next wake-up falls due. */
    private void reindex(final String cluster) {
        final long wall = detector.wallWake(cluster, context.currentSystemTimeMs(), wallClockWindowMs);
        final Wake old = wakeOf.get(cluster);
        if (old != null && old.wall() == wall) {
            return;
        }
        if (old != null) {
            wakes.remove(old);
            wakeOf.remove(cluster);
        }
        if (wall != Long.MAX_VALUE) {
            final Wake wake = new Wake(wall, cluster);
            wakes.add(wake);
            wakeOf.put(cluster, wake);
        }
    }

    @Override
    public void alert(final Alert alert) {
        context.forward(new Record<>(alert.fingerprint(), AvroOutputs.alert(alert), recordTime(alert.at())),
                ALERTS_SINK);
    }

    @Override
    public void ownershipChange(final OwnershipChange change) {
        context.forward(new Record<>(change.cluster() + "/" + change.ip(), AvroOutputs.ownershipChange(change),
                recordTime(change.at())), OWNERSHIP_SINK);
    }

    @Override
    public void vipState(final VipState snapshot) {
        context.forward(new Record<>(snapshot.cluster() + "/" + snapshot.ip(), AvroOutputs.vipState(snapshot),
                recordTime(snapshot.updatedAt())), VIP_STATE_SINK);
    }

    /**
     * An output's record time: its event time, never later than the wall clock, so the broker never refuses it
     * ({@code log.message.timestamp.after.max.ms}); the event time itself is in the value ({@code at}).
     */
    private long recordTime(final long eventTime) {
        return Math.max(0, Math.min(eventTime, context.currentSystemTimeMs()));
    }

    @Override
    public boolean wantsVipState() {
        return true;
    }

    @Override
    public boolean wantsOwnershipChanges() {
        return true;
    }
}
