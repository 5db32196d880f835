package io.vipwatch.streams.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

import io.vipwatch.schemas.event.AnnouncementChange;
import io.vipwatch.schemas.event.Heartbeat;
import io.vipwatch.schemas.event.NodeAddresses;
import io.vipwatch.schemas.event.ServiceChange;
import io.vipwatch.streams.core.DetectionSettings;
import io.vipwatch.streams.core.Detector;
import io.vipwatch.streams.core.InMemoryState;
import io.vipwatch.streams.core.state.NodeRecord;
import io.vipwatch.streams.core.state.SourceRecord;
import io.vipwatch.streams.core.state.StateCodec;
import io.vipwatch.streams.core.state.Timer;
import io.vipwatch.streams.core.state.VipRecord;

/**
 * Heap per tracked VIP in steady state, measured through the public {@link Detector} API as analyze and a
 * topology task hold it ({@link InMemoryState}): {@code CLUSTERS} clusters of {@code VIPS} VIPs each, every VIP
 * a MetalLB Service (own namespace/name, one ingress IP, a pool annotation) announced over L2 by one of the
 * cluster's {@code NODES} nodes, whose address snapshots and heartbeats (and the collector's) arrive as they
 * do live; every id is a random UUID, as the collectors send. The state is then advanced one minute so that
 * nothing is pending. Heap used (after a full GC, polled until stable) with the state, minus heap used
 * before, divided by the number of VIPs: everything a VIP costs, its Service record and its share of the nodes,
 * sources, clusters and timers included.
 *
 * With {@code restored}, every record then goes through the state codec into a new state, as a topology task
 * restores it after a restart ({@code TaskState.load}), and that state is measured.
 *
 * <pre>java -Xmx4g -cp ... io.vipwatch.streams.bench.HeapPerVipMeasure [CLUSTERS] [VIPS] [NODES] [restored]</pre>
 * (defaults 1000 1000 10). Prints one line: {@code state: vips=… heap_bytes=… bytes_per_vip=…}.
 */
public final class HeapPerVipMeasure {

    private static final long T0 = 1_793_491_200_000L;

    private HeapPerVipMeasure() {
    }

    public static void main(final String[] args) {
        final int clusters = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        final int vips = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        final int nodes = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        final boolean restored = args.length > 3 && args[3].equals("restored");
        final Result r = measure(clusters, vips, nodes, restored);
        System.out.println(String.format(Locale.ROOT,
                "state%s: vips=%d heap_bytes=%d bytes_per_vip=%.0f maxHeap=%dm", restored ? " (restored)" : "",
                r.vips(), r.heapBytes(), r.bytesPerVip(), Runtime.getRuntime().maxMemory() >> 20));
    }

    /** What the measurement found. */
    public record Result(long vips, long heapBytes, double bytesPerVip) {
    }

    public static Result measure(final int clusters, final int vips, final int nodes, final boolean restored) {
        final long before = usedAfterGc();
        InMemoryState state = new InMemoryState();
        Detector detector = new Detector(DetectionSettings.defaults(), state, alert -> { });
        for (int c = 0; c < clusters; c++) {
            build(detector, c, vips, nodes);
        }
        if (restored) { // as a topology task holds it after a restart: every record through the codec
            state = restore(state);
            detector = new Detector(DetectionSettings.defaults(), state, alert -> { });
        }
        final long after = usedAfterGc();
        if (Boolean.getBoolean("vipwatch.heap.pause")) { // to take a class histogram: jcmd PID GC.class_histogram
            System.out.println("state built; take the histogram, then press Enter");
            try {
                System.in.read(); // waits for the person at the terminal, not for a guessed time
            } catch (final IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Reference.reachabilityFence(detector);
        Reference.reachabilityFence(state);
        final long total = (long) clusters * vips;
        return new Result(total, after - before, (double) (after - before) / total);
    }

    /** Every record encoded and decoded into a new state, as {@code TaskState.load} does (one Dedup). */
    private static InMemoryState restore(final InMemoryState from) {
        final InMemoryState to = new InMemoryState();
        final StateCodec.Dedup dedup = new StateCodec.Dedup();
        for (final String cluster : from.clusters()) {
            to.putCluster(StateCodec.decodeCluster(StateCodec.encode(from.cluster(cluster)), dedup));
            final TreeSet<String> services = new TreeSet<>();
            for (final VipRecord vip : from.vips().all(cluster)) {
                vip.claims().forEach(claim -> services.add(claim.service()));
            }
            for (final String service : services) {
                to.services().put(cluster,
                        StateCodec.decodeService(StateCodec.encode(from.services().get(cluster, service)), dedup));
            }
            for (final NodeRecord node : from.nodes().all(cluster)) {
                to.nodes().put(cluster, StateCodec.decodeNode(StateCodec.encode(node), dedup));
            }
            for (final VipRecord vip : from.vips().all(cluster)) {
                final VipRecord r = StateCodec.decodeVip(StateCodec.encode(vip), dedup);
                to.vips().put(cluster, r);
                if (r.wakeAt() >= 0) {
                    to.timers().schedule(cluster, new Timer(r.wakeAt(), Timer.VIP, r.ip()));
                }
            }
            for (final SourceRecord source : from.sources().all(cluster)) {
                final SourceRecord r = StateCodec.decodeSource(StateCodec.encode(source), dedup);
                to.sources().put(cluster, r);
                if (r.wakeAt() >= 0) {
                    to.timers().schedule(cluster, new Timer(r.wakeAt(), Timer.SOURCE, r.source()));
                }
            }
        }
        return to;
    }

    private static void build(final Detector detector, final int c, final int vips, final int nodes) {
        final String cluster = "cluster-" + c;
        final String collector = "collector/" + cluster;
        long t = T0;
        for (int n = 0; n < nodes; n++) {
            detector.accept(snapshot(cluster, n, t), 0);
        }
        for (int i = 0; i < vips; i++) {
            final String ip = ip(c, i);
            final String namespace = "team-" + i % 50;
            final String name = "svc-" + i;
            t++;
            detector.accept(new ServiceChange(cluster, t, collector, uuid(), ServiceChange.Op.UPSERT, namespace, name,
                    uuid(), Integer.toString(1000 + i), "LoadBalancer", null, List.of(ip), List.of(), "Cluster",
                    Map.of("metallb.io/ip-allocated-from-pool", "pool-" + i % 4)), 0);
            detector.accept(new AnnouncementChange(cluster, t + 1, collector, uuid(), AnnouncementChange.Op.ANNOUNCE,
                    namespace, name, AnnouncementChange.Announcer.METALLB_L2, node(i % nodes), null, List.of("eth0"),
                    null), 0);
        }
        // steady state: a minute of snapshots and heartbeats every 10 s settles every change and grace timer
        for (int tick = 1; tick <= 6; tick++) {
            final long at = t + tick * 10_000L;
            detector.accept(new Heartbeat(cluster, at, collector, uuid(), null, 10_000), 0);
            for (int n = 0; n < nodes; n++) {
                detector.accept(snapshot(cluster, n, at + n), 0);
                detector.accept(new Heartbeat(cluster, at + n, "agent/" + node(n), uuid(), node(n), 10_000), 0);
            }
        }
    }

    private static NodeAddresses snapshot(final String cluster, final int n, final long at) {
        return new NodeAddresses(cluster, at, "agent/" + node(n), uuid(), node(n),
                List.of(new NodeAddresses.Address("eth0", "192.168." + n / 250 + "." + (n % 250 + 1), 24)), false);
    }

    private static String node(final int n) {
        return "worker-" + n;
    }

    /** Distinct across the fleet: 10.0.0.0/8 by (cluster, index). */
    private static String ip(final int c, final int i) {
        final int x = c * 1000 + i + 1;
        return "10." + (x >> 16 & 0xff) + "." + (x >> 8 & 0xff) + "." + (x & 0xff);
    }

    private static String uuid() {
        return UUID.randomUUID().toString();
    }

    /** Heap used after full collections, polled until two readings agree within 0.5 %. */
    static long usedAfterGc() {
        final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long last = -1;
        for (int i = 0; i < 20; i++) {
            System.gc();
            final long used = memory.getHeapMemoryUsage().getUsed();
            if (last >= 0 && Math.abs(used - last) <= last / 200) {
                return Math.min(used, last);
            }
            last = used;
        }
        return last;
    }
}
