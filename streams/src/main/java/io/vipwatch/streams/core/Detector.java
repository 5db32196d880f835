package io.vipwatch.streams.core;

import java.time.Instant;
import java.util.List;

import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.streams.core.state.ClusterRecord;
import io.vipwatch.streams.core.state.Condition;
import io.vipwatch.streams.core.state.SourceRecord;
import io.vipwatch.streams.core.state.Timer;
import io.vipwatch.streams.core.state.VipRecord;
import io.vipwatch.streams.core.vocabulary.AlertKind;
import io.vipwatch.streams.core.vocabulary.AlertState;

/**
 * The detection core: input events in, alerts, ownership changes and VIP states out, in
 * event time. Each cluster has its own clock and state; clusters never affect each other.
 *
 * <p>Per cluster, when an event's time is past the clock: the VIPs changed at the old time are evaluated,
 * then every timer due before the new time fires in (time, kind, id) order, then the clock moves and the
 * event is applied. Events of one millisecond are applied before that millisecond's timers and evaluated
 * together, so their order does not matter. An event older than the clock is applied at the clock.
 *
 * <p>Not thread-safe: one detector per state partition (analyze: one; the topology: one per task).
 */
public final class Detector {

    private final DetectionState state;
    private final DetectionSettings config;
    private final DetectionSink sink;
    private final InputApplier applier;
    private final VipEvaluator evaluator;

    public Detector(final DetectionSettings config, final DetectionState state, final DetectionSink sink) {
        this.state = state;
        this.config = config;
        this.sink = sink;
        this.applier = new InputApplier(state, config, sink);
        this.evaluator = new VipEvaluator(state, config, sink);
    }

    public DetectionSettings config() {
        return config;
    }

    /** Applies one event; {@code wallNow} is the wall clock of its processing (0 where it does not matter). */
    public void accept(final InputEvent event, final long wallNow) {
        ClusterRecord c = state.cluster(event.cluster());
        if (c == null) {
            c = new ClusterRecord(event.cluster());
        }
        final long ts = event.observedAt();
        if (c.clock() == Long.MIN_VALUE) {
            c.advance(ts, wallNow);
        } else if (ts > c.clock()) {
            settle(c);
            fire(c, ts - 1);
            c.advance(ts, wallNow);
        }
        applier.apply(c, event, c.clock());
        state.putCluster(c);
    }

    public void accept(final InputEvent event) {
        accept(event, 0L);
    }

    /**
     * Evaluates what changed and fires every timer of the cluster due at or before {@code time}, moving
     * its clock there (never back). Used at the end of a recording and by the wall-clock punctuator.
     */
    public void advanceTo(final String cluster, final long time, final long wallNow) {
        final ClusterRecord c = state.cluster(cluster);
        if (c == null) {
            return;
        }
        settle(c);
        if (time > c.clock()) {
            fire(c, time);
            c.advance(time, wallNow);
        } else {
            fire(c, c.clock());
        }
        state.putCluster(c);
    }

    /** End of input: decide everything up to each cluster's last event time (nothing beyond it). */
    public void finish() {
        for (final String cluster : state.clusters()) {
            final ClusterRecord c = state.cluster(cluster);
            if (c != null) {
                advanceTo(cluster, c.clock(), c.lastAdvanceWall());
            }
        }
    }

    /**
     * Wall-clock punctuation of one cluster: its clock runs on by the wall time elapsed since it last moved,
     * so grace timers fire on clusters that send nothing. Relative to the cluster's own last move, so a cluster
     * whose clock is skewed against ours is not judged by our clock. The caller decides when this is safe (the
     * topology: only once its task has caught up with its input, so no waiting event is overtaken).
     */
    public void advanceByWall(final String cluster, final long wallNow) {
        final ClusterRecord c = state.cluster(cluster);
        if (c == null || c.clock() == Long.MIN_VALUE) {
            return;
        }
        final long elapsed = wallNow - c.lastAdvanceWall();
        if (elapsed > 0) {
            advanceTo(cluster, saturatedAdd(c.clock(), elapsed), wallNow);
        }
    }

    /**
     * The wall-clock time at which {@link #advanceByWall} next has something to do for the cluster: decide
     * changes of its current millisecond (as soon as the wall clock moves on) or fire its earliest timer;
     * {@code Long.MAX_VALUE} when nothing is pending, or when the cluster's clock is more than {@code windowMs}
     * away from {@code wallNow}: such a cluster is history being replayed (or a clock far off), and it follows
     * its own events only, as in analyze.
     */
    public long wallWake(final String cluster, final long wallNow, final long windowMs) {
        final ClusterRecord c = state.cluster(cluster);
        if (c == null || c.clock() == Long.MIN_VALUE || Math.abs(wallNow - c.clock()) > windowMs) {
            return Long.MAX_VALUE;
        }
        if (!c.dirty().isEmpty() || !c.deletedNodes().isEmpty()) {
            return saturatedAdd(c.lastAdvanceWall(), 1);
        }
        final Timer first = state.timers().firstDue(cluster, Long.MAX_VALUE);
        if (first == null) {
            return Long.MAX_VALUE;
        }
        return saturatedAdd(c.lastAdvanceWall(), Math.max(1, first.due() - c.clock()));
    }

    private static long saturatedAdd(final long a, final long b) {
        final long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? (b > 0 ? Long.MAX_VALUE : Long.MIN_VALUE) : sum;
    }

    private void settle(final ClusterRecord c) {
        applier.settleDeletions(c, c.clock());
        while (!c.dirty().isEmpty()) {
            final String ip = c.dirty().pollFirst();
            final VipRecord vip = state.vips().get(c.cluster(), ip);
            if (vip != null) {
                evaluator.evaluate(c, vip, c.clock());
            }
        }
    }

    // called for nearly every event: the work of each kind of timer in methods of its own, so that this loop
    // compiles small (and a first VIP timer or silence, hours into a recording, recompiles little)
    private void fire(final ClusterRecord c, final long upTo) {
        Timer timer;
        while ((timer = state.timers().firstDue(c.cluster(), upTo)) != null) {
            state.timers().unschedule(c.cluster(), timer);
            if (timer.kind() == Timer.VIP) {
                wakeVip(c, timer);
            } else {
                wakeSource(c, timer);
            }
        }
    }

    private void wakeVip(final ClusterRecord c, final Timer timer) {
        final VipRecord vip = state.vips().get(c.cluster(), timer.id());
        if (vip != null && vip.wakeAt() == timer.due()) {
            vip.setWakeAt(-1);
            evaluator.wake(c, vip, timer.due());
        }
    }

    private void wakeSource(final ClusterRecord c, final Timer timer) {
        final SourceRecord source = state.sources().get(c.cluster(), timer.id());
        if (source != null && source.wakeAt() == timer.due()) {
            source.setWakeAt(-1);
            silence(c, source, timer.due());
            state.sources().put(c.cluster(), source);
        }
    }

    /** A source sent no heartbeat for silence-after: opens at last heartbeat + silence-after. */
    private void silence(final ClusterRecord c, final SourceRecord source, final long due) {
        final long at = source.lastHeartbeat() + config.silenceAfterMs();
        if (source.silent().isOpen()) {
            return;
        }
        if (at > due) { // heartbeats came since this wake-up was set: wake up at the new deadline
            source.setWakeAt(at);
            state.timers().schedule(c.cluster(), new Timer(at, Timer.SOURCE, source.source()));
            return;
        }
        openSilence(c, source, at);
    }

    private void openSilence(final ClusterRecord c, final SourceRecord source, final long at) {
        final Condition silent = source.silent();
        silent.open(at, source.node() == null ? List.of() : List.of(source.node()), null, "no heartbeat from "
                + source.source() + " since " + Instant.ofEpochMilli(source.lastHeartbeat())
                + (source.node() == null ? ": alerts for cluster " + c.cluster() : ": alerts for node " + source.node())
                + " can no longer be trusted; check that " + source.source() + " runs and reaches Kafka");
        sink.alert(Alerts.transition(AlertState.OPENED, AlertKind.COLLECTOR_SILENT, c.cluster(), null, source.source(),
                silent, at, Alerts.evidence(source)));
    }
}
