package io.vipwatch.streams.reference;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import io.vipwatch.schemas.event.AnnouncementChange;
import io.vipwatch.schemas.event.Heartbeat;
import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.schemas.event.NodeAddresses;
import io.vipwatch.schemas.event.NodeFacts;
import io.vipwatch.schemas.event.ServiceChange;

/**
 * One cluster, moment by moment. A moment is a millisecond in which events happen or something falls due. At a
 * moment with events: all its events are applied (node deletions last again, so they win), then every VIP is
 * judged from scratch; then whatever falls due at that moment. Nothing is decided after the cluster's last event.
 */
final class ClusterModel {

    private final Tunables tunables;
    private final String cluster;
    private final List<InputEvent> events;
    private final World world = new World();
    /** ip -> the VIP while it lives (from being claimed or named until it is forgotten). */
    private final Map<String, VipModel> vips = new TreeMap<>();
    /** source -> its heartbeat state. */
    private final Map<String, Source> sources = new TreeMap<>();
    private final List<Transition> out = new ArrayList<>();

    /** One condition's alert: pending since, open, resolving since, what it said last. */
    private static final class Lifecycle {
        boolean open;
        long pendingSince = -1;
        long resolvingSince = -1;
        Rules.Content said;
    }

    private static final class VipModel {
        final String ip;
        final Map<String, Lifecycle> conditions = new LinkedHashMap<>();
        List<String> responders = List.of();
        String lastClaimant;
        // flapping
        List<String> mergedFrom; // responders before the unsettled merged change, null when none
        long mergedLast;
        double penalty;
        long penaltyAt;
        final TreeSet<String> buildUp = new TreeSet<>();
        boolean flapping;
        Rules.Content flappingSaid;

        VipModel(final String ip) {
            this.ip = ip;
            Rules.GRACE_KINDS.forEach(k -> conditions.put(k, new Lifecycle()));
        }
    }

    private static final class Source {
        long last;
        String node;
        boolean silent;
        List<String> silentNodes;
    }

    ClusterModel(final Tunables tunables, final String cluster, final List<InputEvent> events) {
        this.tunables = tunables;
        this.cluster = cluster;
        this.events = events;
    }

    List<Transition> run() {
        // moments with events; an event older than the cluster's latest counts at the latest
        final TreeMap<Long, List<InputEvent>> batches = new TreeMap<>();
        long latest = Long.MIN_VALUE;
        for (final InputEvent e : events) {
            latest = Math.max(latest, e.observedAt());
            batches.computeIfAbsent(latest, t -> new ArrayList<>()).add(e);
        }
        final long end = latest;
        final List<Long> moments = new ArrayList<>(batches.keySet());
        int next = 0;
        while (true) {
            final long nextBatch = next < moments.size() ? moments.get(next) : Long.MAX_VALUE;
            final long due = earliestDue();
            if (due <= end && due < nextBatch) {
                fallDue(due);
                continue;
            }
            if (next == moments.size()) {
                return out;
            }
            applyAndJudge(nextBatch, batches.get(nextBatch));
            fallDue(nextBatch);
            next++;
        }
    }

    // --- a moment with events

    private void applyAndJudge(final long t, final List<InputEvent> batch) {
        final List<String> deleted = new ArrayList<>();
        for (final InputEvent e : batch) {
            if (e instanceof ServiceChange s) {
                world.apply(s, t);
            } else if (e instanceof AnnouncementChange a) {
                world.apply(a);
            } else if (e instanceof NodeAddresses n) {
                if (n.deleted()) {
                    deleteNode(n.node(), t);
                    deleted.add(n.node());
                } else {
                    world.apply(n);
                }
            } else if (e instanceof NodeFacts n) {
                if (n.deleted()) {
                    deleteNode(n.node(), t);
                    deleted.add(n.node());
                } else {
                    world.apply(n);
                }
            } else if (e instanceof Heartbeat h) {
                heartbeat(h, t);
            }
        }
        deleted.forEach(node -> deleteNode(node, t)); // a deletion wins over anything else of its millisecond
        for (final String ip : world.claimedOrNamed()) {
            vips.computeIfAbsent(ip, VipModel::new);
        }
        for (final VipModel vip : vips.values()) {
            judge(vip, t);
        }
    }

    private void judge(final VipModel vip, final long t) {
        final World.Vip v = world.vip(vip.ip);
        if (!v.claimants().isEmpty()) {
            String last = null;
            long lastSince = Long.MIN_VALUE;
            for (final String claimant : v.claimants()) { // by name: the first of equal starts wins
                final long since = world.services.get(claimant).since().get(vip.ip);
                if (since > lastSince) {
                    last = claimant;
                    lastSince = since;
                }
            }
            vip.lastClaimant = last;
        }
        if (vip.flapping) { // the Service it names changed
            say(vip, "UPDATED", new Rules.Content(List.copyOf(vip.buildUp), Rules.vipService(v, vip.lastClaimant), null), t);
        }
        if (!v.responders().equals(vip.responders)) {
            final List<String> before = vip.responders;
            vip.responders = v.responders();
            if (vip.mergedFrom != null && t - vip.mergedLast >= tunables.mergeWindow()) {
                settle(vip, v, vip.mergedLast + tunables.mergeWindow(), before);
            }
            if (vip.mergedFrom == null) {
                vip.mergedFrom = before;
            }
            vip.mergedLast = t;
        }
        decideGrace(vip, v, t);
    }

    private void decideGrace(final VipModel vip, final World.Vip v, final long t) {
        final Map<String, Rules.Finding> findings = findings(vip, v);
        for (final String kind : Rules.GRACE_KINDS) {
            final Lifecycle c = vip.conditions.get(kind);
            final Rules.Finding f = kind.equals(Rules.DUAL_CONTROLLER)
                    ? Rules.dualController(world, v, findings.get(Rules.FOREIGN_BINDING).holds()
                            || vip.conditions.get(Rules.FOREIGN_BINDING).open)
                    : findings.get(kind);
            if (f.holds()) {
                if (c.open) {
                    c.resolvingSince = -1;
                    if (!f.content().equals(c.said)) {
                        c.said = f.content();
                        emit("UPDATED", kind, vip.ip, c.said, t);
                    }
                } else if (c.pendingSince < 0) {
                    c.pendingSince = t;
                }
            } else if (c.open) {
                if (c.resolvingSince < 0) {
                    c.resolvingSince = t;
                }
            } else {
                c.pendingSince = -1;
            }
        }
    }

    private Map<String, Rules.Finding> findings(final VipModel vip, final World.Vip v) {
        final Map<String, Rules.Finding> f = new LinkedHashMap<>();
        final Rules.Finding foreign = Rules.foreignBinding(world, v);
        f.put(Rules.FOREIGN_BINDING, foreign);
        f.put(Rules.DUPLICATE_RESPONDERS, Rules.duplicateResponders(v, foreign, vip.lastClaimant));
        f.put(Rules.EXCLUDED_NODE_OWNER, Rules.excludedNodeOwner(world, v, foreign, vip.lastClaimant));
        f.put(Rules.UNANNOUNCED, Rules.unannounced(v));
        f.put(Rules.ORPHANED, Rules.orphaned(v, vip.lastClaimant));
        return f;
    }

    // --- what falls due

    private long earliestDue() {
        long due = Long.MAX_VALUE;
        for (final VipModel vip : vips.values()) {
            for (final Lifecycle c : vip.conditions.values()) {
                if (!c.open && c.pendingSince >= 0) {
                    due = Math.min(due, c.pendingSince + tunables.grace());
                } else if (c.open && c.resolvingSince >= 0) {
                    due = Math.min(due, c.resolvingSince + tunables.grace());
                }
            }
            if (vip.mergedFrom != null) {
                due = Math.min(due, vip.mergedLast + tunables.mergeWindow());
            }
            if (vip.flapping) {
                due = Math.min(due, until(vip, tunables.reuse()));
            }
            if (quiet(vip)) {
                due = Math.min(due, until(vip, 1));
            }
        }
        for (final Source s : sources.values()) {
            if (!s.silent) {
                due = Math.min(due, s.last + tunables.silenceAfter());
            }
        }
        return due;
    }

    private void fallDue(final long d) {
        for (final VipModel vip : new ArrayList<>(vips.values())) {
            final World.Vip v = world.vip(vip.ip);
            for (final String kind : Rules.GRACE_KINDS) {
                final Lifecycle c = vip.conditions.get(kind);
                if (!c.open && c.pendingSince >= 0 && c.pendingSince + tunables.grace() <= d) {
                    final Rules.Finding f = kind.equals(Rules.DUAL_CONTROLLER)
                            ? Rules.dualController(world, v, Rules.foreignBinding(world, v).holds()
                                    || vip.conditions.get(Rules.FOREIGN_BINDING).open)
                            : findings(vip, v).get(kind);
                    if (!f.holds()) {
                        throw new IllegalStateException("reference model: " + kind + " of " + vip.ip
                                + " falls due but does not hold");
                    }
                    final long at = c.pendingSince + tunables.grace();
                    c.open = true;
                    c.pendingSince = -1;
                    c.said = f.content();
                    emit("OPENED", kind, vip.ip, c.said, at);
                } else if (c.open && c.resolvingSince >= 0 && c.resolvingSince + tunables.grace() <= d) {
                    emit("RESOLVED", kind, vip.ip, c.said, c.resolvingSince + tunables.grace());
                    c.open = false;
                    c.resolvingSince = -1;
                    c.said = null;
                }
            }
            if (vip.mergedFrom != null && vip.mergedLast + tunables.mergeWindow() <= d) {
                settle(vip, v, vip.mergedLast + tunables.mergeWindow(), vip.responders);
            }
            if (vip.flapping && until(vip, tunables.reuse()) <= d) {
                emit("RESOLVED", Rules.FLAPPING, vip.ip, vip.flappingSaid, until(vip, tunables.reuse()));
                vip.flapping = false;
                vip.flappingSaid = null;
                vip.buildUp.clear();
            }
            decideGrace(vip, v, d);
            if (quiet(vip) && until(vip, 1) <= d) {
                vips.remove(vip.ip); // forgotten: its last claimant, penalty and build-up go with it
            }
        }
        for (final Map.Entry<String, Source> e : sources.entrySet()) {
            final Source s = e.getValue();
            if (!s.silent && s.last + tunables.silenceAfter() <= d) {
                s.silent = true;
                s.silentNodes = s.node == null ? List.of() : List.of(s.node);
                out.add(new Transition("OPENED", Rules.COLLECTOR_SILENT, cluster, null, s.silentNodes, null,
                        s.last + tunables.silenceAfter()));
            }
        }
    }

    // --- flapping

    /** A merged change settles at {@code at}: a flap when it went away from a non-empty set and did not come back. */
    private void settle(final VipModel vip, final World.Vip v, final long at, final List<String> end) {
        final List<String> start = vip.mergedFrom;
        vip.mergedFrom = null;
        if (start.isEmpty() || start.equals(end)) {
            return;
        }
        final double decayed = decayed(vip, at);
        if (!vip.flapping && decayed < tunables.reuse()) {
            vip.buildUp.clear();
        }
        vip.penalty = Math.min(tunables.cap(), decayed + tunables.penalty());
        vip.penaltyAt = at;
        vip.buildUp.addAll(start);
        vip.buildUp.addAll(end);
        final Rules.Content content = new Rules.Content(List.copyOf(vip.buildUp), Rules.vipService(v, vip.lastClaimant),
                null);
        if (vip.flapping) {
            say(vip, "UPDATED", content, at);
        } else if (vip.penalty > tunables.suppress()) {
            vip.flapping = true;
            vip.flappingSaid = content;
            emit("OPENED", Rules.FLAPPING, vip.ip, content, at);
        }
    }

    private void say(final VipModel vip, final String state, final Rules.Content content, final long at) {
        if (!content.equals(vip.flappingSaid)) {
            vip.flappingSaid = content;
            emit(state, Rules.FLAPPING, vip.ip, content, at);
        }
    }

    /** p(t) = p(t0) * 2^(-(t - t0) / half-life). */
    private double decayed(final VipModel vip, final long t) {
        if (vip.penalty == 0 || t <= vip.penaltyAt) {
            return vip.penalty;
        }
        return vip.penalty * Math.pow(2, -(double) (t - vip.penaltyAt) / tunables.halfLife());
    }

    /** The first millisecond at which the penalty has decayed to {@code limit}: t0 + ceil(H * log2(p(t0) / limit)). */
    private long until(final VipModel vip, final double limit) {
        if (vip.penalty <= limit) {
            return vip.penaltyAt;
        }
        return vip.penaltyAt + (long) Math.ceil(tunables.halfLife() * (Math.log(vip.penalty / limit) / Math.log(2)));
    }

    /** Nothing claims, announces or binds it, no alert is open or pending, no merged change is unsettled. */
    private boolean quiet(final VipModel vip) {
        if (vip.flapping || vip.mergedFrom != null || !world.vip(vip.ip).empty()) {
            return false;
        }
        for (final Lifecycle c : vip.conditions.values()) {
            if (c.open || c.pendingSince >= 0) {
                return false;
            }
        }
        return true;
    }

    // --- heartbeats and node deletions

    private void heartbeat(final Heartbeat h, final long t) {
        final Source s = sources.computeIfAbsent(h.source(), k -> new Source());
        if (s.silent) {
            out.add(new Transition("RESOLVED", Rules.COLLECTOR_SILENT, cluster, null, s.silentNodes, null, t));
            s.silent = false;
        }
        s.last = t;
        s.node = h.node();
    }

    /** A deleted node: no addresses, no facts, and the sources whose latest heartbeat named it are forgotten. */
    private void deleteNode(final String node, final long t) {
        world.deleteNode(node);
        sources.entrySet().removeIf(e -> {
            final Source s = e.getValue();
            if (!node.equals(s.node)) {
                return false;
            }
            if (s.silent) {
                out.add(new Transition("RESOLVED", Rules.COLLECTOR_SILENT, cluster, null, s.silentNodes, null, t));
            }
            return true;
        });
    }

    private void emit(final String state, final String kind, final String ip, final Rules.Content content,
            final long at) {
        out.add(new Transition(state, kind, cluster, ip, content.nodes(), content.service(), at));
    }
}
