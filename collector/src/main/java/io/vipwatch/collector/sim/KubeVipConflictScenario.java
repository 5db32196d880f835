package io.vipwatch.collector.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.vipwatch.schemas.event.AnnouncementChange;
import io.vipwatch.schemas.event.Heartbeat;
import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.schemas.event.NodeAddresses;
import io.vipwatch.schemas.event.NodeFacts;
import io.vipwatch.schemas.event.ServiceChange;

/**
 * The incident of docs/architecture.md, section 1, as the collectors of one cluster would see it: MetalLB (Layer 2)
 * gives default/web the VIP 198.51.100.10 and announces it from worker-1; kube-vip on control-plane node
 * cp-1 runs with {@code svc_enable=true}, takes the IP from the Service's status and binds it as a /32 on
 * eth0; later the Service is deleted, MetalLB withdraws and kube-vip removes the address.
 *
 * <p>Times are offsets in seconds from the start; every source sends a heartbeat every 10 s, so event time
 * keeps moving and grace timers fire even on a quiet cluster.
 */
public final class KubeVipConflictScenario {

    public static final String VIP = "198.51.100.10";
    public static final String SERVICE_NAMESPACE = "default";
    public static final String SERVICE_NAME = "web";
    public static final String CONFLICT_NODE = "cp-1";
    public static final String SPEAKER_NODE = "worker-1";

    /** Offset (s) at which kube-vip binds the VIP on cp-1. */
    public static final int BIND_AT = 20;
    /** Offset (s) at which the Service is deleted and the address goes away. */
    public static final int DELETE_AT = 60;
    /** Offset (s) of the last event. */
    public static final int END_AT = 100;

    private static final int HEARTBEAT_EVERY = 10;
    private static final List<String> NODES = List.of(CONFLICT_NODE, "worker-1", "worker-2");

    private final String cluster;
    private final long start;
    private final String collector;
    private final double speed;

    /**
     * @param cluster the cluster id
     * @param start   epoch millis of offset 0
     */
    public KubeVipConflictScenario(final String cluster, final long start) {
        this(cluster, start, 1);
    }

    /**
     * The scenario compressed in time: offset {@code s} is stamped {@code start + s / speed} seconds, and the
     * heartbeats say they come every {@code 10 s / speed}. Played at real time, event times are the wall clock
     * (the demo: nothing stamped ahead of now); detection tunables scaled by {@code 1 / speed} decide as on the
     * uncompressed scenario.
     *
     * @param speed how much faster than the scenario's nominal time (1 = uncompressed)
     */
    public KubeVipConflictScenario(final String cluster, final long start, final double speed) {
        if (!(speed > 0)) {
            throw new IllegalArgumentException("speed must be positive, got " + speed);
        }
        this.cluster = cluster;
        this.start = start;
        this.collector = "collector/" + cluster;
        this.speed = speed;
    }

    /** How often (ms, compressed) every source of the scenario sends a heartbeat. */
    public long heartbeatIntervalMs() {
        return Math.max(1, Math.round(HEARTBEAT_EVERY * 1000L / speed));
    }

    /**
     * The heartbeats of every source (the collector and each node's agent) at {@code at}: what keeps the
     * simulated cluster alive after the scenario's last event.
     */
    public List<InputEvent> heartbeats(final long at) {
        final List<InputEvent> beats = new ArrayList<>();
        beats.add(new Heartbeat(cluster, at, collector, id(), null, heartbeatIntervalMs()));
        for (final String node : NODES) {
            beats.add(new Heartbeat(cluster, at, "node-agent/" + cluster + "/" + node, id(), node,
                    heartbeatIntervalMs()));
        }
        return beats;
    }

    /** Every event of the scenario in time order. */
    public List<InputEvent> events() {
        final List<Timed> timed = new ArrayList<>();
        // the cluster as it is before anything happens
        add(timed, 0, new NodeFacts(cluster, at(0), collector, id(), CONFLICT_NODE, List.of("control-plane"), true,
                false, false, new NodeFacts.KubeVip(true, true, "eth0", true, "kube-system/kube-vip-" + CONFLICT_NODE,
                        "ghcr.io/kube-vip/kube-vip:v0.8.9"), false));
        add(timed, 0, new NodeFacts(cluster, at(0), collector, id(), "worker-1", List.of(), false, true, false, null,
                false));
        add(timed, 0, new NodeFacts(cluster, at(0), collector, id(), "worker-2", List.of(), false, true, false, null,
                false));
        for (int i = 0; i < NODES.size(); i++) {
            add(timed, 0, addresses(0, NODES.get(i), i, false));
        }
        // MetalLB allocates the VIP and a speaker announces it
        add(timed, 5, service(5, ServiceChange.Op.UPSERT));
        add(timed, 6, announcement(6, AnnouncementChange.Op.ANNOUNCE));
        // kube-vip (svc_enable=true) binds the same IP as /32 on cp-1
        add(timed, BIND_AT, addresses(BIND_AT, CONFLICT_NODE, 0, true));
        // the Service is deleted: MetalLB withdraws, kube-vip removes the address
        add(timed, DELETE_AT, service(DELETE_AT, ServiceChange.Op.DELETE));
        add(timed, DELETE_AT, announcement(DELETE_AT, AnnouncementChange.Op.WITHDRAW));
        add(timed, DELETE_AT + 1, addresses(DELETE_AT + 1, CONFLICT_NODE, 0, false));
        for (int second = 0; second <= END_AT; second += HEARTBEAT_EVERY) {
            for (final InputEvent beat : heartbeats(at(second))) {
                add(timed, second, beat);
            }
        }
        timed.sort((a, b) -> Integer.compare(a.second, b.second));
        final List<InputEvent> events = new ArrayList<>(timed.size());
        timed.forEach(t -> events.add(t.event));
        return events;
    }

    private ServiceChange service(final int second, final ServiceChange.Op op) {
        return new ServiceChange(cluster, at(second), collector, id(), op, SERVICE_NAMESPACE, SERVICE_NAME,
                "3f1c9a2e-web", Integer.toString(1000 + second), "LoadBalancer", null,
                op == ServiceChange.Op.UPSERT ? List.of(VIP) : List.of(), List.of(), "Cluster",
                Map.of("metallb.io/ip-allocated-from-pool", "pool-a"));
    }

    private AnnouncementChange announcement(final int second, final AnnouncementChange.Op op) {
        return new AnnouncementChange(cluster, at(second), collector, id(), op, SERVICE_NAMESPACE, SERVICE_NAME,
                AnnouncementChange.Announcer.METALLB_L2, SPEAKER_NODE, null, List.of("eth0"),
                new AnnouncementChange.Evidence("SERVICE_L2_STATUS", "metallb-system/l2-" + Integer.toHexString(second),
                        null));
    }

    private NodeAddresses addresses(final int second, final String node, final int index, final boolean withVip) {
        final List<NodeAddresses.Address> addresses = new ArrayList<>();
        addresses.add(new NodeAddresses.Address("eth0", "192.0.2." + (11 + index), 24));
        if (withVip) {
            addresses.add(new NodeAddresses.Address("eth0", VIP, 32));
        }
        return new NodeAddresses(cluster, at(second), "node-agent/" + cluster + "/" + node, id(), node, addresses,
                false);
    }

    private long at(final int second) {
        return start + Math.round(second * 1000L / speed);
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }

    private static void add(final List<Timed> timed, final int second, final InputEvent event) {
        timed.add(new Timed(second, event));
    }

    private record Timed(int second, InputEvent event) {
    }
}
