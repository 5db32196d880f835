package io.vipwatch.streams.core;

import java.util.ArrayList;
import java.util.List;

import io.vipwatch.schemas.event.InputEvent;

/** A sink that keeps everything, for assertions. */
public final class Recorder implements DetectionSink {

    public final List<Alert> alerts = new ArrayList<>();
    public final List<OwnershipChange> changes = new ArrayList<>();
    public final List<VipState> states = new ArrayList<>();

    @Override
    public void alert(final Alert alert) {
        alerts.add(alert);
    }

    @Override
    public void ownershipChange(final OwnershipChange change) {
        changes.add(change);
    }

    @Override
    public void vipState(final VipState snapshot) {
        states.add(snapshot);
    }

    @Override
    public boolean wantsVipState() {
        return true;
    }

    @Override
    public boolean wantsOwnershipChanges() {
        return true;
    }

    /** Runs events through a fresh detector with in-memory state and finishes. */
    public static Recorder run(final DetectionSettings config, final List<InputEvent> events) {
        final Recorder recorder = new Recorder();
        final Detector detector = new Detector(config, new InMemoryState(), recorder);
        events.forEach(detector::accept);
        detector.finish();
        return recorder;
    }

    public List<String> lines() {
        final List<String> out = new ArrayList<>();
        alerts.forEach(a -> out.add(AlertJson.format(a)));
        return out;
    }
}
