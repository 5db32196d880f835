package io.vipwatch.bench;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import io.vipwatch.schemas.event.AnnouncementChange;
import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.schemas.event.NodeAddresses;
import io.vipwatch.schemas.event.NodeFacts;
import io.vipwatch.schemas.event.ServiceChange;
import io.vipwatch.streams.fleet.FleetRecording;

/**
 * The state benchmark's fleet: {@code clusters} clusters of 10 nodes, each with {@code vips} LoadBalancer Services,
 * one VIP each (from 198.18.0.0/15, the benchmarking range), announced by MetalLB from a worker. Every VIP is
 * tracked (claimed and announced); nothing is wrong, so the state is what a healthy fleet costs.
 */
final class StateFleet {

    static final int NODES = 10;

    private StateFleet() {
    }

    /** Emits the fleet's events in time order; returns how many. */
    static long generate(final int clusters, final int vips, final Consumer<InputEvent> sink) {
        long count = 0;
        long seq = 0;
        final long t = FleetRecording.T0;
        for (int c = 0; c < clusters; c++) {
            final String cluster = "state-" + c;
            final String collector = "collector/" + cluster;
            for (int n = 0; n < NODES; n++) {
                final String node = n < 3 ? "cp-" + (n + 1) : "worker-" + (n - 2);
                sink.accept(new NodeFacts(cluster, t, collector, id(seq++), node,
                        List.of(n < 3 ? "control-plane" : "worker"), n < 3, n >= 3, false, null, false));
                sink.accept(new NodeAddresses(cluster, t, "agent/" + node, id(seq++), node,
                        List.of(new NodeAddresses.Address("eth0", "192.0.2." + (n + 1), 24)), false));
                count += 2;
            }
        }
        for (int v = 0; v < vips; v++) {
            final String ip = "198." + (18 + (v >> 16)) + "." + ((v >> 8) & 255) + "." + (v & 255);
            for (int c = 0; c < clusters; c++) {
                final String cluster = "state-" + c;
                final String collector = "collector/" + cluster;
                final long at = t + 1 + v;
                sink.accept(new ServiceChange(cluster, at, collector, id(seq++), ServiceChange.Op.UPSERT, "default",
                        "svc-" + v, "uid-" + v, null, "LoadBalancer", null, List.of(ip), List.of(), "Cluster",
                        Map.of(FleetRecording.POOL, "pool-a")));
                sink.accept(new AnnouncementChange(cluster, at, collector, id(seq++), AnnouncementChange.Op.ANNOUNCE,
                        "default", "svc-" + v, AnnouncementChange.Announcer.METALLB_L2, "worker-" + (1 + v % (NODES - 3)),
                        null, List.of(), new AnnouncementChange.Evidence("SERVICE_L2_STATUS", "metallb-system/l2-" + v,
                                null)));
                count += 2;
            }
        }
        return count;
    }

    private static String id(final long seq) {
        return new UUID(0x57a7_e000_0000_0000L, seq).toString();
    }
}
