package io.vipwatch.streams.core;

import io.vipwatch.schemas.event.AnnouncementChange;
import io.vipwatch.schemas.event.Heartbeat;
import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.schemas.event.NodeAddresses;
import io.vipwatch.schemas.event.NodeFacts;
import io.vipwatch.schemas.event.ServiceChange;
import io.vipwatch.schemas.event.WireObservation;
import io.vipwatch.streams.core.state.ClusterRecord;
import io.vipwatch.streams.core.state.Condition;
import io.vipwatch.streams.core.state.Names;
import io.vipwatch.streams.core.state.NodeRecord;
import io.vipwatch.streams.core.state.SourceRecord;
import io.vipwatch.streams.core.state.Timer;
import io.vipwatch.streams.core.state.VipRecord;
import io.vipwatch.streams.core.vocabulary.AlertKind;
import io.vipwatch.streams.core.vocabulary.AlertState;

/**
 * Applies one input event to the state at the cluster's current time: claims, announcements, bindings,
 * node facts, heartbeats. VIPs it changes are marked dirty and evaluated once the clock moves on, so
 * events of one millisecond give the same result in any order. Repeated identical input changes nothing.
 *
 * <p>One section per input: {@link ServiceApplier}, {@link AnnouncementApplier}, {@link NodeApplier},
 * {@link WireApplier}, and the heartbeats here, with what the sections share (marking a VIP changed, creating a
 * VIP record).
 */
final class InputApplier {

    private final DetectionState state;
    private final DetectionSettings config;
    private final DetectionSink sink;
    private final WireApplier wire;
    private final ServiceApplier services;
    private final AnnouncementApplier announcements;
    private final NodeApplier nodes;

    InputApplier(final DetectionState state, final DetectionSettings config, final DetectionSink sink) {
        this.state = state;
        this.config = config;
        this.sink = sink;
        this.wire = new WireApplier(state, this);
        this.services = new ServiceApplier(state, this);
        this.announcements = new AnnouncementApplier(state, this, services);
        this.nodes = new NodeApplier(state, sink, this, wire);
    }

    void apply(final ClusterRecord c, final InputEvent event, final long t) {
        if (event instanceof ServiceChange e) {
            services.apply(c, e, t);
        } else if (event instanceof AnnouncementChange e) {
            announcements.apply(c, e, t);
        } else if (event instanceof NodeAddresses e) {
            nodes.apply(c, e, t);
        } else if (event instanceof NodeFacts e) {
            nodes.apply(c, e, t);
        } else if (event instanceof Heartbeat e) {
            heartbeat(c, e, t);
        } else if (event instanceof WireObservation e) {
            wire.observe(c, e, t);
        }
    }

    /** Completes the deletions of the millisecond that is over. */
    void settleDeletions(final ClusterRecord c, final long t) {
        nodes.settleDeletions(c, t);
    }

    // --- heartbeats

    private void heartbeat(final ClusterRecord c, final Heartbeat e, final long t) {
        SourceRecord s = state.sources().get(c.cluster(), e.source());
        if (s == null) {
            s = new SourceRecord(e.source());
        }
        s.heard(t, e.eventId(), Names.intern(e.node())); // the latest heartbeat says which node's agent this is
        if (s.silent().isOpen()) {
            resolveSilence(c, s, t);
        }
        // one pending wake-up per source: when it fires early (heartbeats came since), it moves itself on
        if (s.wakeAt() < 0) {
            s.setWakeAt(t + config.silenceAfterMs());
            state.timers().schedule(c.cluster(), new Timer(s.wakeAt(), Timer.SOURCE, s.source()));
        }
        state.sources().put(c.cluster(), s);
    }

    private void resolveSilence(final ClusterRecord c, final SourceRecord s, final long t) {
        final Condition silent = s.silent();
        silent.resolve();
        sink.alert(Alerts.transition(AlertState.RESOLVED, AlertKind.COLLECTOR_SILENT, c.cluster(), null, s.source(),
                silent, t, Alerts.evidence(s)));
        silent.close();
    }

    // --- helpers

    /** The VIP record of an IP that a Service claims or a speaker announces, created with its current bindings. */
    VipRecord ensureVip(final ClusterRecord c, final String ip, final long t) {
        VipRecord vip = state.vips().get(c.cluster(), ip);
        if (vip != null) {
            return vip;
        }
        vip = new VipRecord(ip);
        vip.markNew(); // not evaluated yet: dropped if what created it does not outlive the millisecond
        for (final NodeRecord n : state.nodes().all(c.cluster())) {
            final NodeRecord.Address a = n.address(ip);
            if (a != null) {
                vip.putBinding(new VipRecord.Binding(n.name(), a.iface(), a.prefixLength(), t, n.addressesEventId()));
            }
        }
        return vip;
    }

    /** Marks a VIP changed at the current millisecond and remembers the (greatest) event behind it. */
    void touch(final ClusterRecord c, final VipRecord vip, final InputEvent e) {
        c.dirty().add(vip.ip());
        if (e != null && (vip.causeType() == null || compareCause(e, vip) > 0)) {
            vip.setCause(e.type(), e.key(), e.eventId(), e.source(), e.observedAt());
        }
        state.vips().put(c.cluster(), vip);
    }

    private static int compareCause(final InputEvent e, final VipRecord vip) {
        int order = e.type().compareTo(vip.causeType());
        if (order == 0) {
            order = e.key().compareTo(vip.causeKey());
        }
        if (order == 0) {
            order = String.valueOf(e.eventId()).compareTo(String.valueOf(vip.causeEventId()));
        }
        return order;
    }

}
