package io.vipwatch.streams.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.vipwatch.schemas.event.AnnouncementChange;
import io.vipwatch.schemas.event.Heartbeat;
import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.schemas.event.NodeAddresses;
import io.vipwatch.schemas.event.NodeFacts;
import io.vipwatch.schemas.event.ServiceChange;
import io.vipwatch.streams.Scenario;

/**
 * Random input over a small universe (2 clusters, 3 Services, 4 nodes, 3 VIPs plus a node's own address), so
 * that everything collides: claims, announcements with and without IPs, bindings, facts, heartbeats, deletes,
 * many events in the same millisecond. Deterministic for a seed.
 */
final class RandomEvents {

    static final String[] IPS = {"198.51.100.10", "198.51.100.11", "2001:db8::10"};
    static final String[] NODES = {"cp-1", "cp-2", "worker-1", "worker-2"};
    static final String[] SERVICES = {"default/web", "default/api", "prod/db"};
    static final long[] STEPS = {0, 0, 1, 500, 1_000, 3_000, 10_000, 20_000};

    private RandomEvents() {
    }

    static List<InputEvent> generate(final long seed, final int count) {
        final Random random = new Random(seed);
        final List<InputEvent> events = new ArrayList<>(count);
        long t = Scenario.T0;
        for (int i = 0; i < count; i++) {
            t += STEPS[random.nextInt(STEPS.length)];
            final String cluster = random.nextInt(4) == 0 ? "c2" : "c1";
            final String id = "e" + i;
            final String node = NODES[random.nextInt(NODES.length)];
            final String service = SERVICES[random.nextInt(SERVICES.length)];
            final String[] ns = service.split("/");
            switch (random.nextInt(10)) {
                case 0, 1 -> {
                    final int controller = random.nextInt(4);
                    final Map<String, String> annotations = switch (controller) {
                        case 0 -> Map.of(Scenario.POOL, "pool-a");
                        case 1 -> Map.of("kube-vip.io/vipHost", node);
                        case 2 -> Map.of(Scenario.POOL, "pool-a", "kube-vip.io/vipHost", node);
                        default -> Map.of();
                    };
                    events.add(new ServiceChange(cluster, t, "collector", id, random.nextInt(6) == 0
                            ? ServiceChange.Op.DELETE : ServiceChange.Op.UPSERT, ns[0], ns[1], null, null, "LoadBalancer",
                            controller == 1 && random.nextBoolean() ? "kube-vip.io/kube-vip-class" : null,
                            subset(random, IPS), List.of(), null, annotations));
                }
                case 2, 3 -> {
                    final AnnouncementChange.Announcer announcer = AnnouncementChange.Announcer.values()[random.nextInt(5) % 3];
                    final String vip = random.nextInt(3) == 0 ? IPS[random.nextInt(IPS.length)] : null;
                    events.add(new AnnouncementChange(cluster, t, "collector", id, random.nextInt(3) == 0
                            ? AnnouncementChange.Op.WITHDRAW : AnnouncementChange.Op.ANNOUNCE, ns[0], ns[1], announcer,
                            node, vip, List.of(), null));
                }
                case 4, 5 -> {
                    final List<NodeAddresses.Address> addresses = new ArrayList<>();
                    addresses.add(new NodeAddresses.Address("eth0", "10.0.0." + (node.hashCode() & 0x7f), 24));
                    for (final String ip : subset(random, IPS)) {
                        addresses.add(new NodeAddresses.Address("eth0", ip, ip.contains(":") ? 128 : 32));
                    }
                    events.add(new NodeAddresses(cluster, t, "agent/" + node, id, node, addresses,
                            random.nextInt(20) == 0));
                }
                case 6 -> events.add(new NodeFacts(cluster, t, "collector", id, node, List.of(), random.nextBoolean(),
                        random.nextInt(3) == 0 ? null : random.nextBoolean(), false,
                        random.nextBoolean() ? null : new NodeFacts.KubeVip(random.nextBoolean(), null, null, null,
                                null, null), random.nextInt(25) == 0));
                default -> events.add(new Heartbeat(cluster, t, random.nextBoolean() ? "collector" : "agent/" + node,
                        id, random.nextBoolean() ? node : null, 10_000));
            }
        }
        return events;
    }

    private static List<String> subset(final Random random, final String[] values) {
        final List<String> out = new ArrayList<>();
        for (final String value : values) {
            if (random.nextInt(3) == 0) {
                out.add(value);
            }
        }
        return out;
    }
}
