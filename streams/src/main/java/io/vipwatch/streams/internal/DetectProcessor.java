package io.vipwatch.streams.internal;

import java.time.Duration;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.streams.core.AlertTransition;
import io.vipwatch.streams.core.DetectionConfig;
import io.vipwatch.streams.core.DetectionSink;
import io.vipwatch.streams.core.Detector;
import io.vipwatch.streams.core.ResponderChange;
import io.vipwatch.streams.core.VipSnapshot;

/**
 * Runs the detection core for the clusters of one task against its key-value stores, and forwards every
 * decision. A wall-clock punctuator moves quiet clusters' clocks on, so grace timers fire without input.
 */
public final class DetectProcessor implements Processor<String, InputEvent, String, DetectOutput>, DetectionSink {

    /** Store names: every store is changelogged, so state survives restarts and task moves. */
    public static final String CLUSTERS = "vipwatch-clusters";
    public static final String SERVICES = "vipwatch-services";
    public static final String NODES = "vipwatch-nodes";
    public static final String VIPS = "vipwatch-vips";
    public static final String SOURCES = "vipwatch-sources";
    public static final String TIMERS = "vipwatch-timers";

    private final DetectionConfig config;
    private final Duration punctuationInterval;
    private final boolean wallClockAdvance;
    private ProcessorContext<String, DetectOutput> context;
    private Detector detector;

    public DetectProcessor(final DetectionConfig config, final Duration punctuationInterval,
            final boolean wallClockAdvance) {
        this.config = config;
        this.punctuationInterval = punctuationInterval;
        this.wallClockAdvance = wallClockAdvance;
    }

    @Override
    public void init(final ProcessorContext<String, DetectOutput> context) {
        this.context = context;
        final KeyValueStore<String, byte[]> clusters = context.getStateStore(CLUSTERS);
        final KeyValueStore<String, byte[]> services = context.getStateStore(SERVICES);
        final KeyValueStore<String, byte[]> nodes = context.getStateStore(NODES);
        final KeyValueStore<String, byte[]> vips = context.getStateStore(VIPS);
        final KeyValueStore<String, byte[]> sources = context.getStateStore(SOURCES);
        final KeyValueStore<Bytes, byte[]> timers = context.getStateStore(TIMERS);
        this.detector = new Detector(config, new StoreState(clusters, services, nodes, vips, sources, timers), this);
        if (wallClockAdvance) {
            context.schedule(punctuationInterval, PunctuationType.WALL_CLOCK_TIME, detector::tick);
        }
    }

    @Override
    public void process(final Record<String, InputEvent> record) {
        detector.accept(record.value(), context.currentSystemTimeMs());
    }

    @Override
    public void alert(final AlertTransition alert) {
        context.forward(new Record<>(alert.fingerprint(), new DetectOutput.AlertOut(AvroOutputs.alert(alert)),
                alert.at()));
    }

    @Override
    public void responderChange(final ResponderChange change) {
        context.forward(new Record<>(change.cluster() + "/" + change.ip(),
                new DetectOutput.OwnershipOut(AvroOutputs.ownershipChange(change)), change.at()));
    }

    @Override
    public void vipState(final VipSnapshot snapshot) {
        context.forward(new Record<>(snapshot.cluster() + "/" + snapshot.ip(),
                new DetectOutput.StateOut(AvroOutputs.vipState(snapshot)), snapshot.updatedAt()));
    }

    @Override
    public boolean wantsVipState() {
        return true;
    }

    @Override
    public boolean wantsResponderChanges() {
        return true;
    }
}
