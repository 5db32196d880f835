package io.vipwatch.streams.core;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;

import io.vipwatch.schemas.event.WireObservation;
import io.vipwatch.streams.core.state.ClusterRecord;
import io.vipwatch.streams.core.state.Condition;
import io.vipwatch.streams.core.state.NodeRecord;
import io.vipwatch.streams.core.state.Timer;
import io.vipwatch.streams.core.state.VipRecord;
import io.vipwatch.streams.core.state.WireProbe;
import io.vipwatch.streams.core.vocabulary.AlertKind;
import io.vipwatch.streams.core.vocabulary.AlertState;

/**
 * Decides one VIP: responders and ownership changes, flap damping, and the grace lifecycle of every
 * condition (pending at start, OPENED at start + grace, UPDATED, resolving at end, RESOLVED at end + grace).
 * Called when the VIP changed ({@link #evaluate}) and when one of its deadlines is due ({@link #wake}).
 */
final class VipEvaluator {

    private final DetectionState state;
    private final DetectionSettings config;
    private final DetectionSink sink;
    private final FlapDamping damping;

    VipEvaluator(final DetectionState state, final DetectionSettings config, final DetectionSink sink) {
        this.state = state;
        this.config = config;
        this.sink = sink;
        this.damping = new FlapDamping(config);
    }

    /** The VIP changed at {@code t} (all events of that millisecond applied). */
    void evaluate(final ClusterRecord c, final VipRecord vip, final long t) {
        if (vip.updatedAt() < 0 && vip.claims().isEmpty() && vip.announcements().isEmpty()) {
            // created at this millisecond by a claim or an announcement that did not outlive it: never a VIP
            reschedule(c, vip, -1);
            state.vips().remove(c.cluster(), vip.ip());
            return;
        }
        // the latest claimant, decided once per millisecond so that the order of its events does not matter
        final VipRecord.Claim latest = latestClaim(vip);
        if (latest != null) {
            vip.setLastService(latest.service());
        }
        // what the inputs of this millisecond change comes before what falls due in it (a flap settling now)
        final Condition flapping = vip.condition(AlertKind.FLAPPING);
        if (flapping != null && flapping.isOpen() && !Objects.equals(flapping.service(), Rules.vipService(vip))) {
            flapping.update(flapping.nodes(), Rules.vipService(vip), flapping.hint());
            emit(c, vip, AlertKind.FLAPPING, AlertState.UPDATED, flapping, t, facts(c));
        }
        responders(c, vip, t);
        decide(c, vip, t, Rules.evaluate(vip, facts(c)));
        finish(c, vip, t, true);
    }

    /**
     * The responders now: what the inputs declare and what the wire heard. A change is an ownership change, caused by
     * the event remembered in the VIP's cause, which is used up here.
     */
    private void responders(final ClusterRecord c, final VipRecord vip, final long t) {
        final List<String> declared = Rules.responders(vip);
        final List<String> now = vip.probes().isEmpty() ? declared // no wire data: nothing to allocate
                : WireRules.responders(vip, declared, () -> WireRules.macIndex(state.nodes().all(c.cluster())));
        if (!now.equals(vip.responders())) {
            final List<String> before = vip.responders();
            vip.setResponders(now);
            if (sink.wantsOwnershipChanges()) {
                sink.ownershipChange(ownershipChange(c.cluster(), vip, t, before, now));
            }
            flapChange(c, vip, before, now, t);
        }
        vip.clearCause();
    }

    /** Wire observations that went stale at {@code d} are dropped; what they heard no longer answers. */
    private boolean expireProbes(final ClusterRecord c, final VipRecord vip, final long d) {
        final WireProbe stale = WireRules.expire(vip, d, config.silenceAfterMs());
        if (stale == null) {
            return false;
        }
        vip.setCause(WireObservation.TYPE, c.cluster() + "/" + vip.ip(), stale.eventId(), stale.source(), stale.at());
        responders(c, vip, d);
        return true;
    }

    /** A deadline of the VIP is due at {@code d}: open, resolve, close a merge group, forget. */
    void wake(final ClusterRecord c, final VipRecord vip, final long d) {
        final long grace = config.graceMs();
        final boolean expired = expireProbes(c, vip, d);
        final Function<String, NodeRecord> facts = facts(c);
        final Rules.Findings findings = Rules.evaluate(vip, facts);
        boolean changed = expired;
        for (final AlertKind kind : Rules.GRACE_KINDS) {
            final Condition cond = vip.condition(kind);
            if (cond == null) {
                continue;
            }
            if (!cond.isOpen() && cond.activeSince() >= 0 && cond.activeSince() + grace <= d) {
                final Finding f = kind == AlertKind.DUAL_CONTROLLER
                        ? Rules.dualController(vip, findings.foreignBinding.holds() || isOpen(vip, AlertKind.FOREIGN_BINDING))
                        : findings.get(kind);
                if (f.holds()) {
                    open(c, vip, kind, f, cond.activeSince() + grace, facts);
                } else { // cannot happen while every input re-evaluates what it changes; never open an empty alert
                    vip.removeCondition(kind);
                }
                changed = true;
            } else if (cond.isOpen() && cond.inactiveSince() >= 0 && cond.inactiveSince() + grace <= d) {
                resolve(c, vip, kind, cond.inactiveSince() + grace, facts);
                changed = true;
            }
        }
        if (vip.groupStart() != null && vip.groupLast() + config.mergeWindowMs() <= d) {
            closeGroup(c, vip, vip.groupLast() + config.mergeWindowMs(), vip.responders());
            changed = true;
        }
        final Condition flapping = vip.condition(AlertKind.FLAPPING);
        if (flapping != null && flapping.isOpen()) {
            final long resolveAt = damping.reuseAt(vip.penalty(), vip.penaltyAt());
            if (resolveAt <= d) {
                resolve(c, vip, AlertKind.FLAPPING, resolveAt, facts);
                vip.clearFlapNodes();
                changed = true;
            }
        }
        decide(c, vip, d, Rules.evaluate(vip, facts));
        if (quiet(vip) && damping.forgetAt(vip.penalty(), vip.penaltyAt()) <= d) {
            forget(c, vip, d);
            return;
        }
        finish(c, vip, d, changed);
    }

    // --- the grace lifecycle

    private void decide(final ClusterRecord c, final VipRecord vip, final long t, final Rules.Findings findings) {
        final Function<String, NodeRecord> facts = facts(c);
        for (final AlertKind kind : Rules.GRACE_KINDS) {
            final Finding f = kind == AlertKind.DUAL_CONTROLLER
                    ? Rules.dualController(vip, findings.foreignBinding.holds() || isOpen(vip, AlertKind.FOREIGN_BINDING))
                    : findings.get(kind);
            Condition cond = vip.condition(kind);
            if (f.holds()) {
                if (cond == null) {
                    cond = vip.conditionOrNew(kind);
                }
                if (cond.isOpen()) {
                    cond.clearInactive();
                    if (!same(cond, f)) {
                        cond.update(f.nodes(), f.service(), f.hint());
                        emit(c, vip, kind, AlertState.UPDATED, cond, t, facts);
                    }
                } else {
                    cond.markActive(t);
                }
            } else if (cond != null) {
                if (cond.isOpen()) {
                    cond.markInactive(t);
                } else {
                    vip.removeCondition(kind);
                }
            }
        }
    }

    private void open(final ClusterRecord c, final VipRecord vip, final AlertKind kind, final Finding f, final long at,
            final Function<String, NodeRecord> facts) {
        final Condition cond = vip.conditionOrNew(kind);
        cond.open(at, f.nodes(), f.service(), f.hint());
        emit(c, vip, kind, AlertState.OPENED, cond, at, facts);
    }

    private void resolve(final ClusterRecord c, final VipRecord vip, final AlertKind kind, final long at,
            final Function<String, NodeRecord> facts) {
        final Condition cond = vip.condition(kind);
        cond.resolve();
        emit(c, vip, kind, AlertState.RESOLVED, cond, at, facts);
        vip.removeCondition(kind);
    }

    private void emit(final ClusterRecord c, final VipRecord vip, final AlertKind kind, final AlertState state,
            final Condition cond, final long at, final Function<String, NodeRecord> facts) {
        List<Alert.Evidence> evidence = Alerts.evidence(vip, kind, cond.nodes(), facts,
                damping.decayed(vip.penalty(), vip.penaltyAt(), at));
        if (!vip.probes().isEmpty()) {
            evidence = new ArrayList<>(evidence);
            WireRules.evidence(vip, WireRules.macIndex(this.state.nodes().all(c.cluster())), evidence);
        }
        sink.alert(Alerts.transition(state, kind, c.cluster(), vip.ip(), vip.ip(), cond, at, evidence));
    }

    private static boolean same(final Condition cond, final Finding f) {
        return cond.nodes().equals(f.nodes()) && Objects.equals(cond.service(), f.service())
                && Objects.equals(cond.hint(), f.hint());
    }

    private static boolean isOpen(final VipRecord vip, final AlertKind kind) {
        final Condition cond = vip.condition(kind);
        return cond != null && cond.isOpen();
    }

    // --- flapping

    /** A responder change at {@code t}: starts or extends a merge group (changes less than the window apart). */
    private void flapChange(final ClusterRecord c, final VipRecord vip, final List<String> before,
            final List<String> after, final long t) {
        final long window = config.mergeWindowMs();
        if (vip.groupStart() != null && t - vip.groupLast() >= window) {
            closeGroup(c, vip, vip.groupLast() + window, before);
        }
        vip.extendGroup(before, t);
        if (window == 0) {
            closeGroup(c, vip, t, after);
        }
    }

    /** A merged change ends: a flap if it went away from a non-empty set and did not come back to it. */
    private void closeGroup(final ClusterRecord c, final VipRecord vip, final long at, final List<String> end) {
        final List<String> start = vip.closeGroup();
        if (start.isEmpty() || start.equals(end)) {
            return;
        }
        Condition cond = vip.condition(AlertKind.FLAPPING);
        final boolean open = cond != null && cond.isOpen();
        final double decayed = damping.decayed(vip.penalty(), vip.penaltyAt(), at);
        if (!open && decayed < config.flapReuse()) {
            vip.clearFlapNodes(); // a new build-up
        }
        vip.setPenalty(damping.add(decayed), at);
        vip.addFlapNodes(start);
        vip.addFlapNodes(end);
        final Finding f = Finding.of(List.copyOf(vip.flapNodes()), service(vip), null);
        final Function<String, NodeRecord> facts = facts(c);
        if (open) {
            if (!same(cond, f)) {
                cond.update(f.nodes(), f.service(), f.hint());
                emit(c, vip, AlertKind.FLAPPING, AlertState.UPDATED, cond, at, facts);
            }
        } else if (vip.penalty() > config.flapSuppress()) {
            open(c, vip, AlertKind.FLAPPING, f, at, facts);
        }
    }

    private static VipRecord.Claim latestClaim(final VipRecord vip) {
        VipRecord.Claim latest = null;
        for (final VipRecord.Claim claim : vip.claims()) {
            if (latest == null || claim.since() > latest.since()) { // claims are sorted: the first of a tie wins
                latest = claim;
            }
        }
        return latest;
    }

    private static String service(final VipRecord vip) {
        return Rules.vipService(vip);
    }

    // --- bookkeeping

    /** Nothing claims, announces or binds it and nothing is pending or open. */
    private static boolean quiet(final VipRecord vip) {
        if (!vip.empty() || vip.groupStart() != null) {
            return false;
        }
        for (final Condition cond : vip.conditions().values()) {
            if (cond != null && !cond.idle()) {
                return false;
            }
        }
        return true;
    }

    private long nextWake(final VipRecord vip) {
        final long grace = config.graceMs();
        long next = Long.MAX_VALUE;
        for (final AlertKind kind : Rules.GRACE_KINDS) {
            final Condition cond = vip.condition(kind);
            if (cond == null) {
                continue;
            }
            if (!cond.isOpen() && cond.activeSince() >= 0) {
                next = Math.min(next, cond.activeSince() + grace);
            } else if (cond.isOpen() && cond.inactiveSince() >= 0) {
                next = Math.min(next, cond.inactiveSince() + grace);
            }
        }
        if (vip.groupStart() != null) {
            next = Math.min(next, vip.groupLast() + config.mergeWindowMs());
        }
        if (isOpen(vip, AlertKind.FLAPPING)) {
            next = Math.min(next, damping.reuseAt(vip.penalty(), vip.penaltyAt()));
        }
        if (quiet(vip)) {
            next = Math.min(next, damping.forgetAt(vip.penalty(), vip.penaltyAt()));
        }
        next = Math.min(next, WireRules.nextStale(vip, config.silenceAfterMs()));
        return next == Long.MAX_VALUE ? -1 : next;
    }

    private void finish(final ClusterRecord c, final VipRecord vip, final long t, final boolean changed) {
        reschedule(c, vip, nextWake(vip));
        if (changed) {
            vip.updated(t);
            if (sink.wantsVipState()) {
                sink.vipState(snapshot(c.cluster(), vip, t, false));
            }
        }
        state.vips().put(c.cluster(), vip);
    }

    private void forget(final ClusterRecord c, final VipRecord vip, final long t) {
        reschedule(c, vip, -1);
        state.vips().remove(c.cluster(), vip.ip());
        if (sink.wantsVipState()) {
            sink.vipState(snapshot(c.cluster(), vip, t, true));
        }
    }

    private void reschedule(final ClusterRecord c, final VipRecord vip, final long wake) {
        if (vip.wakeAt() == wake) {
            return;
        }
        if (vip.wakeAt() >= 0) {
            state.timers().unschedule(c.cluster(), new Timer(vip.wakeAt(), Timer.VIP, vip.ip()));
        }
        vip.setWakeAt(wake);
        if (wake >= 0) {
            state.timers().schedule(c.cluster(), new Timer(wake, Timer.VIP, vip.ip()));
        }
    }

    private Function<String, NodeRecord> facts(final ClusterRecord c) {
        return node -> state.nodes().get(c.cluster(), node);
    }

    private VipState snapshot(final String cluster, final VipRecord vip, final long t, final boolean deleted) {
        final List<VipState.Claim> claims = new ArrayList<>(vip.claims().size());
        for (final VipRecord.Claim claim : vip.claims()) {
            claims.add(new VipState.Claim(claim.service(), claim.metallb(), claim.kubeVip(), claim.since()));
        }
        final List<VipState.Announcement> announcements = new ArrayList<>(vip.announcements().size());
        for (final VipRecord.Announcement a : vip.announcements()) {
            announcements.add(new VipState.Announcement(a.node(), a.announcer(), a.service(), a.since()));
        }
        final List<VipState.Binding> bindings = new ArrayList<>(vip.bindings().size());
        for (final VipRecord.Binding b : vip.bindings()) {
            bindings.add(new VipState.Binding(b.node(), b.iface(), b.prefixLength(), b.since()));
        }
        final List<AlertKind> open = new ArrayList<>();
        vip.conditions().forEach((kind, cond) -> {
            if (cond.isOpen()) {
                open.add(kind);
            }
        });
        return new VipState(cluster, vip.ip(), t, deleted, claims, announcements, bindings, vip.responders(), open,
                damping.decayed(vip.penalty(), vip.penaltyAt(), t));
    }

    private static OwnershipChange ownershipChange(final String cluster, final VipRecord vip, final long t,
            final List<String> before, final List<String> after) {
        final String id = UUID.nameUUIDFromBytes((cluster + "\u0000" + vip.ip() + "\u0000" + t + "\u0000"
                + before + "\u0000" + after + "\u0000" + vip.causeEventId()).getBytes(StandardCharsets.UTF_8))
                .toString();
        final OwnershipChange.Cause cause = vip.causeType() == null ? null
                : new OwnershipChange.Cause(vip.causeType(), vip.causeKey(), vip.causeEventId(), vip.causeSource(),
                        vip.causeAt());
        return new OwnershipChange(id, cluster, vip.ip(), t, before, after, service(vip), cause);
    }
}
