package io.vipwatch.streams.fleet;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.UUID;
import java.util.function.Consumer;

import io.vipwatch.schemas.event.AnnouncementChange;
import io.vipwatch.schemas.event.Heartbeat;
import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.schemas.event.NodeAddresses;
import io.vipwatch.schemas.event.NodeFacts;
import io.vipwatch.schemas.event.ServiceChange;
import io.vipwatch.schemas.recording.RecordingWriter;

/**
 * A synthetic fleet as a recording, in time order, deterministic for a seed. Every 10 s each node agent sends
 * its (unchanged) address snapshot and a heartbeat, and each cluster's collector a heartbeat. Benign churn:
 * MetalLB failovers with short overlaps or gaps (at most one per Service per 20 minutes), collector restarts
 * that resend every Service and announcement, Services deleted and re-created. With incidents, cluster 0 also
 * gets the seed kube-vip conflict, a duplicate speaker, a flapping Service and an agent that goes silent.
 *
 * <p>Main code (not test code) so that {@code vipwatch bench} and the streams tests share one generator.
 *
 * <pre>java ... io.vipwatch.streams.fleet.FleetRecording OUT.jsonl EVENTS [CLUSTERS] [NODES] [SERVICES] [incidents]</pre>
 */
public final class FleetRecording {

    /** The recording's first event time (2026-11-01T00:00:00Z). */
    public static final long T0 = 1_793_491_200_000L;
    /** MetalLB's pool annotation on every Service. */
    public static final String POOL = "metallb.io/ip-allocated-from-pool";
    private static final long TICK = 10_000;

    private final Random random;
    private final int clusters;
    private final int nodes;
    private final int services;
    private final boolean incidents;
    private final PriorityQueue<Pending> queue = new PriorityQueue<>();
    private long seq;
    /** cluster index -> Service index -> the node announcing it, as the last {@link #generate} left it */
    private String[][] announcer;

    private record Pending(long time, long seq, InputEvent event) implements Comparable<Pending> {
        @Override
        public int compareTo(final Pending other) {
            final int byTime = Long.compare(time, other.time);
            return byTime != 0 ? byTime : Long.compare(seq, other.seq);
        }
    }

    public FleetRecording(final long seed, final int clusters, final int nodes, final int services,
            final boolean incidents) {
        this.random = new Random(seed);
        this.clusters = clusters;
        this.nodes = Math.max(nodes, 5);
        this.services = services;
        this.incidents = incidents;
    }

    public static void main(final String[] args) throws IOException {
        final Path out = Path.of(args[0]);
        final long events = Long.parseLong(args[1]);
        final int clusters = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        final int nodes = args.length > 3 ? Integer.parseInt(args[3]) : 30;
        final int services = args.length > 4 ? Integer.parseInt(args[4]) : 40;
        final boolean incidents = args.length > 5 && Boolean.parseBoolean(args[5]);
        try (BufferedWriter file = Files.newBufferedWriter(out, StandardCharsets.UTF_8);
                RecordingWriter writer = new RecordingWriter(file, false)) {
            final long written = new FleetRecording(42, clusters, nodes, services, incidents).generate(events,
                    writer::write);
            System.err.println("wrote " + written + " events to " + out);
        }
    }

    /** Generates at least {@code count} events (whole ticks) into {@code sink}, in time order; returns how many. */
    public long generate(final long count, final Consumer<InputEvent> sink) {
        long written = 0;
        long t = T0;
        for (int c = 0; c < clusters; c++) {
            setUp(c, t);
        }
        final long[][] lastFailover = new long[clusters][services];
        announcer = new String[clusters][services];
        for (int c = 0; c < clusters; c++) {
            for (int s = 0; s < services; s++) {
                announcer[c][s] = incidents && c == 0 && s == 3 ? worker(0) : worker(s);
                lastFailover[c][s] = t;
            }
        }
        int tick = 0;
        while (written < count || !queue.isEmpty() && tick < 3) {
            t += TICK;
            tick++;
            for (int c = 0; c < clusters; c++) {
                final String cluster = cluster(c);
                final long jitter = random.nextInt(2_000);
                add(t + jitter, new Heartbeat(cluster, t + jitter, "collector/" + cluster, id(), null, TICK));
                for (int n = 0; n < nodes; n++) {
                    final long at = t + random.nextInt(9_000);
                    if (incidents && c == 0 && n == nodes - 1 && tick % 180 > 170) {
                        continue; // the last node's agent goes silent for 100 s every 30 min
                    }
                    add(at, incidents && c == 0 && n == 0 && tick % 180 >= 10 && tick % 180 < 40
                            ? boundSnapshot(cluster, at) : snapshot(cluster, n, at, false));
                    add(at + 1, new Heartbeat(cluster, at + 1, "agent/" + node(n), id(), node(n), TICK));
                }
                for (int s = 0; s < services; s++) {
                    final boolean staged = incidents && c == 0 && s >= 1 && s <= 3;
                    if (!staged && t - lastFailover[c][s] >= 20 * 60_000 && random.nextInt(2_000) == 0) {
                        lastFailover[c][s] = t;
                        final String from = announcer[c][s];
                        final String to = worker(random.nextInt(nodes - 3));
                        if (!to.equals(from)) {
                            announcer[c][s] = to;
                            final long at = t + random.nextInt(TICK_INT);
                            final boolean overlap = random.nextBoolean();
                            // overlap: the new speaker announces before the old one withdraws; else a short gap
                            add(at, announcement(cluster, at, s, overlap ? to : from, overlap));
                            add(at + 700, announcement(cluster, at + 700, s, overlap ? from : to, !overlap));
                        }
                    }
                }
                if (tick % 180 == 90 + c % 60) { // a collector restart resends its whole state
                    for (int s = 0; s < services; s++) {
                        add(t + 3_000, service(cluster, t + 3_000, s, false));
                        add(t + 3_001, announcement(cluster, t + 3_001, s, announcer[c][s], true));
                    }
                }
                if (tick % 360 == 200 && services > 0) { // a Service is deleted and comes back a minute later
                    final int s = random.nextInt(services);
                    add(t, announcement(cluster, t, s, announcer[c][s], false));
                    add(t + 50, service(cluster, t + 50, s, true));
                    add(t + 60_000, service(cluster, t + 60_000, s, false));
                    add(t + 60_400, announcement(cluster, t + 60_400, s, announcer[c][s], true));
                }
                if (incidents && c == 0) {
                    incidents(cluster, tick, t);
                }
            }
            while (!queue.isEmpty() && queue.peek().time() < t + TICK) {
                sink.accept(queue.poll().event());
                written++;
            }
        }
        while (!queue.isEmpty()) {
            sink.accept(queue.poll().event());
            written++;
        }
        return written;
    }

    private static final int TICK_INT = (int) TICK;

    /** Every 30 minutes (180 ticks) cluster 0 has its incidents, each well past grace. */
    private void incidents(final String cluster, final int tick, final long t) {
        final int phase = tick % 180;
        if (phase == 10) { // kube-vip with svc_enable=true on cp-1 binds service 1's VIP
            add(t, facts(cluster, "cp-1", t, true));
            add(t + 500, boundSnapshot(cluster, t + 500));
        } else if (phase == 40) {
            add(t, facts(cluster, "cp-1", t, false));
            add(t + 500, snapshot(cluster, 0, t + 500, false));
        } else if (phase == 60 && services > 2) { // a second speaker answers for service 2
            add(t, announcement(cluster, t, 2, worker(nodes - 4), true));
        } else if (phase == 70 && services > 2) {
            add(t, announcement(cluster, t, 2, worker(nodes - 4), false));
        } else if (phase >= 100 && phase < 106 && services > 3) { // service 3 flaps between two workers
            final String a = worker(0);
            final String b = worker(1);
            add(t, announcement(cluster, t, 3, phase % 2 == 0 ? a : b, false));
            add(t, announcement(cluster, t, 3, phase % 2 == 0 ? b : a, true));
        }
    }

    private void setUp(final int c, final long t) {
        final String cluster = cluster(c);
        for (int n = 0; n < nodes; n++) {
            add(t, n < 3 ? facts(cluster, node(n), t, false)
                    : new NodeFacts(cluster, t, "collector/" + cluster, id(), node(n), List.of("worker"), false,
                            true, false, null, false));
            add(t + 1, snapshot(cluster, n, t + 1, false));
        }
        for (int s = 0; s < services; s++) {
            add(t + 2 + s, service(cluster, t + 2 + s, s, false));
            add(t + 302 + s, announcement(cluster, t + 302 + s, s, worker(s), true));
        }
        if (incidents && c == 0 && services > 3) { // service 3 is the one that will flap between worker(0) and (1)
            add(t + 400, announcement(cluster, t + 400, 3, worker(3), false));
            add(t + 400, announcement(cluster, t + 400, 3, worker(0), true));
        }
    }

    private NodeFacts facts(final String cluster, final String node, final long t, final boolean svcEnable) {
        return new NodeFacts(cluster, t, "collector/" + cluster, id(), node, List.of("control-plane"), true, false,
                false, new NodeFacts.KubeVip(svcEnable, true, "eth0", true, "kube-system/kube-vip-" + node,
                        "ghcr.io/kube-vip/kube-vip:v0.8.0"), false);
    }

    private NodeAddresses snapshot(final String cluster, final int n, final long t, final boolean deleted) {
        return new NodeAddresses(cluster, t, "agent/" + node(n), id(), node(n), List.of(own(n)), deleted);
    }

    /** cp-1 with service 1's VIP bound as /32, as kube-vip with svc_enable=true does. */
    private NodeAddresses boundSnapshot(final String cluster, final long t) {
        return new NodeAddresses(cluster, t, "agent/cp-1", id(), "cp-1",
                List.of(own(0), new NodeAddresses.Address("eth0", vip(1), 32)), false);
    }

    private static NodeAddresses.Address own(final int n) {
        return new NodeAddresses.Address("eth0", "192.0.2." + (n + 1), 24);
    }

    private ServiceChange service(final String cluster, final long t, final int s, final boolean delete) {
        return new ServiceChange(cluster, t, "collector/" + cluster, id(),
                delete ? ServiceChange.Op.DELETE : ServiceChange.Op.UPSERT, "default", "svc-" + s, "uid-" + s, null,
                "LoadBalancer", null, delete ? List.of() : List.of(vip(s)), List.of(), "Cluster",
                Map.of(POOL, "pool-a"));
    }

    private AnnouncementChange announcement(final String cluster, final long t, final int s, final String node,
            final boolean announce) {
        return new AnnouncementChange(cluster, t, "collector/" + cluster, id(),
                announce ? AnnouncementChange.Op.ANNOUNCE : AnnouncementChange.Op.WITHDRAW, "default", "svc-" + s,
                AnnouncementChange.Announcer.METALLB_L2, node, null, List.of(),
                new AnnouncementChange.Evidence("SERVICE_L2_STATUS", "metallb-system/l2-" + s, null));
    }

    private static String vip(final int s) {
        return s < 240 ? "198.51.100." + (s + 10) : "2001:db8:1::" + Integer.toHexString(s);
    }

    private static String cluster(final int c) {
        return "cluster-" + c;
    }

    private static String node(final int n) {
        return n < 3 ? "cp-" + (n + 1) : "worker-" + (n - 2);
    }

    private String worker(final int i) {
        return "worker-" + (i % (nodes - 3) + 1);
    }

    private String id() {
        return new UUID(0x5eed_0000_0000_0000L | (seq >>> 32), seq).toString();
    }

    private void add(final long time, final InputEvent event) {
        queue.add(new Pending(time, seq++, event));
    }

    /**
     * Every collector and agent of a benign fleet resends its full state at {@code at} (a resync storm, as
     * after a broker outage): each node's facts and address snapshot, each Service and its announcement, as the
     * last {@link #generate} left them, with new event ids. Nothing in it changes what any cluster holds.
     * Returns how many events went to {@code sink}.
     */
    public long resync(final long at, final Consumer<InputEvent> sink) {
        if (incidents || announcer == null) {
            throw new IllegalStateException("resync needs a benign fleet after generate()");
        }
        long written = 0;
        final Consumer<InputEvent> out = event -> {
            sink.accept(event);
            seq++; // the next event's id
        };
        for (int c = 0; c < clusters; c++) {
            final String cluster = cluster(c);
            for (int n = 0; n < nodes; n++) {
                out.accept(n < 3 ? facts(cluster, node(n), at, false)
                        : new NodeFacts(cluster, at, "collector/" + cluster, id(), node(n), List.of("worker"),
                                false, true, false, null, false));
                out.accept(snapshot(cluster, n, at, false));
                written += 2;
            }
            for (int s = 0; s < services; s++) {
                out.accept(service(cluster, at, s, false));
                out.accept(announcement(cluster, at, s, announcer[c][s], true));
                written += 2;
            }
        }
        return written;
    }

    /** All events of a generation, in memory (small fleets). */
    public List<InputEvent> events(final long count) {
        final List<InputEvent> out = new ArrayList<>();
        generate(count, out::add);
        return out;
    }
}
