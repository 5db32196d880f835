package io.vipwatch.streams.reference;

import java.io.StringReader;
import java.time.Instant;
import java.util.List;

import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.streams.Scenario;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Random small clusters as recordings: 2-4 nodes, 1-3 Services sharing 2-3 IPs (one IPv6, spelled in
 * non-canonical ways), MetalLB L2 and BGP and kube-vip announcements with and without IPs, node addresses and
 * facts, deletions, heartbeats and silences, sometimes a second cluster with the same names. Gaps between events
 * straddle grace, the merge window and silence-after by a millisecond either way, and a few go back in time;
 * tunables are the defaults or not. Built from small integers so that jqwik shrinks a disagreement to a short recording.
 */
public record GeneratedCluster(Tunables tunables, int nodes, int services, int ips, int clusters, List<Step> steps) {

    static final long T0 = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();
    private static final String[] NODES = {"cp-1", "w-1", "w-2", "cp-2"};
    private static final String[] SERVICES = {"default/web", "default/api", "prod/db"};
    /** The IP pool; the IPv6 one in the spellings a recording may use (all read as 2001:db8::10). */
    private static final String[][] IPS = {{"198.51.100.10"},
        {"2001:db8::10", "2001:DB8::10", "2001:db8:0:0:0:0:0:10", "2001:0db8:0000::0010"}, {"198.51.100.11"}};
    private static final String[] ANNOUNCERS = {"METALLB_L2", "METALLB_L2", "METALLB_BGP", "KUBE_VIP", "METALLB_L2"};

    /** One event: a gap before it (an index into {@link #gaps}) and small integers that choose what it is. */
    public record Step(int gap, int kind, int a, int b, int c, int d, int cluster) {
    }

    public static Arbitrary<GeneratedCluster> arbitrary() {
        final Arbitrary<Step> step = Combinators.combine(Arbitraries.integers().between(0, 16),
                Arbitraries.integers().between(0, 19), Arbitraries.integers().between(0, 63),
                Arbitraries.integers().between(0, 63), Arbitraries.integers().between(0, 63),
                Arbitraries.integers().between(0, 63), Arbitraries.integers().between(0, 1)).as(Step::new);
        return Combinators.combine(anyTunables(), Arbitraries.integers().between(2, 4), Arbitraries.integers().between(1, 3),
                Arbitraries.integers().between(2, 3), Arbitraries.integers().between(1, 2),
                step.list().ofMinSize(1).ofMaxSize(60)).as(GeneratedCluster::new);
    }

    static Arbitrary<Tunables> anyTunables() {
        final Arbitrary<Tunables> other = Combinators.combine(Arbitraries.of(0L, 1L, 2_000L, 5_000L, 15_000L, 30_000L),
                Arbitraries.of(400.0, 1000.0, 1500.0), Arbitraries.of(1_000L, 10_000L, 60_000L, 300_000L),
                Arbitraries.of(900.0, 1500.0, 2000.0), Arbitraries.of(100.0, 300.0, 750.0),
                Arbitraries.of(0.0, 2500.0, 3000.0), Arbitraries.of(0L, 1L, 500L, 2_000L, 5_000L),
                Arbitraries.of(1L, 5_000L, 30_000L, 60_000L)).as((grace, penalty, halfLife, suppress, reuse, cap, merge,
                        silence) -> new Tunables(grace, penalty, halfLife, suppress, Math.min(reuse, suppress - 1),
                                cap > suppress ? cap : 4 * suppress, merge, silence));
        return Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(Tunables.defaults())),
                Tuple.of(1, other));
    }

    private long[] gaps() {
        final long g = tunables.grace();
        final long w = tunables.mergeWindow();
        final long s = tunables.silenceAfter();
        final long[] gaps = {1_000, 0, 1, w - 1, w, w + 1, g - 1, g, g + 1, s - 1, s, s + 1, 10_000, 5_000,
            tunables.halfLife(), 500, 0};
        for (int i = 0; i < gaps.length; i++) {
            gaps[i] = Math.max(0, gaps[i]);
        }
        gaps[gaps.length - 1] = -2_500; // back in time: a late event, applied at its cluster's latest time
        return gaps;
    }

    /** The recording: one JSON object a line, in time order. */
    public String recording() {
        final StringBuilder out = new StringBuilder();
        final long[] gaps = gaps();
        long t = T0;
        for (final Step step : steps) {
            t = Math.max(T0, t + gaps[step.gap()]);
            out.append(line(step, t)).append('\n');
        }
        return out.toString();
    }

    public List<InputEvent> events() {
        return Scenario.readRecording(new StringReader(recording()), "generated");
    }

    private String line(final Step s, final long t) {
        final String cluster = clusters == 2 && s.cluster() == 1 ? "c2" : "c1";
        final String head = "{\"cluster\":\"" + cluster + "\",\"observedAt\":\"" + Instant.ofEpochMilli(t) + "\",";
        final String node = NODES[s.c() % nodes];
        final int kind = s.kind();
        if (kind <= 3) {
            final String[] name = SERVICES[s.a() % services].split("/");
            final String op = kind == 3 ? "DELETE" : "UPSERT";
            final StringBuilder ips = new StringBuilder();
            for (int i = 0; i < this.ips; i++) {
                if ((s.b() >> i & 1) != 0 && kind != 3) {
                    ips.append(ips.length() == 0 ? "" : ",").append('"').append(ip(i, s.d())).append('"');
                }
            }
            final String vipHost = NODES[s.d() % nodes];
            final String[] signs = {
                "\"annotations\":{\"metallb.io/ip-allocated-from-pool\":\"pool-a\"}",
                "\"annotations\":{\"metallb.universe.tf/ip-allocated-from-pool\":\"pool-b\"}",
                "\"loadBalancerClass\":\"kube-vip.io/kube-vip-class\"",
                "\"annotations\":{\"kube-vip.io/vipHost\":\"" + vipHost + "\"}",
                "\"annotations\":{\"metallb.io/ip-allocated-from-pool\":\"pool-a\",\"kube-vip.io/vipHost\":\"" + vipHost
                        + "\"}",
                "\"annotations\":{}",
                "\"annotations\":{\"kube-vip.io/ignore-service-security\":\"true\"}",
                "\"loadBalancerClass\":\"kube-vip.io/kube-vip-class\",\"annotations\":{\"metallb.io/ip-allocated-from-pool\":\"\"}"};
            return head + "\"type\":\"service\",\"op\":\"" + op + "\",\"namespace\":\"" + name[0] + "\",\"name\":\""
                    + name[1] + "\",\"ingressIps\":[" + ips + "]," + signs[s.c() % signs.length] + "}";
        }
        if (kind <= 9) {
            final String service = s.a() % (services + 1) == services ? "other/ghost" : SERVICES[s.a() % services];
            final String[] name = service.split("/");
            final int pick = s.d() % (ips + 2);
            return head + "\"type\":\"announcement\",\"op\":\"" + (kind <= 7 ? "ANNOUNCE" : "WITHDRAW")
                    + "\",\"namespace\":\"" + name[0] + "\",\"name\":\"" + name[1] + "\",\"announcer\":\""
                    + ANNOUNCERS[s.b() % ANNOUNCERS.length] + "\",\"node\":\"" + node + "\""
                    + (pick < ips ? ",\"vip\":\"" + ip(pick, s.b()) + "\"" : "") + "}";
        }
        if (kind <= 12) {
            final StringBuilder addresses = new StringBuilder("{\"interface\":\"eth0\",\"ip\":\"10.0.0."
                    + (1 + s.c() % nodes) + "\",\"prefixLength\":24}");
            for (int i = 0; i < ips; i++) {
                if ((s.b() >> i & 1) != 0) {
                    final boolean v6 = i == 1;
                    final String entry = ",{\"interface\":\"" + ((s.d() >> i & 1) == 0 ? "eth0" : "vip0")
                            + "\",\"ip\":\"" + ip(i, s.d()) + "\",\"prefixLength\":"
                            + ((s.d() & 8) != 0 ? (v6 ? 64 : 24) : (v6 ? 128 : 32)) + "}";
                    addresses.append(entry);
                    if ((s.d() & 16) != 0) { // the same IP twice: the first entry counts
                        addresses.append(entry.replace("eth0", "eth9").replace("vip0", "eth9"));
                    }
                }
            }
            return head + "\"type\":\"node-addresses\",\"node\":\"" + node + "\",\"addresses\":[" + addresses + "]}";
        }
        if (kind == 13) {
            return head + "\"type\":\"node-addresses\",\"node\":\"" + node + "\",\"deleted\":true}";
        }
        if (kind <= 15) {
            final String eligible = switch (s.b() / 2 % 3) {
                case 0 -> "null";
                case 1 -> "true";
                default -> "false";
            };
            final String kubeVip = switch (s.d() % 3) {
                case 0 -> "null";
                case 1 -> "{\"svcEnable\":true,\"pod\":\"kube-system/kube-vip-" + node + "\"}";
                default -> "{\"svcEnable\":false}";
            };
            return head + "\"type\":\"node\",\"node\":\"" + node + "\",\"excludedFromLoadBalancers\":"
                    + ((s.b() & 1) != 0) + ",\"speakerEligible\":" + eligible + ",\"kubeVip\":" + kubeVip + "}";
        }
        if (kind == 16) {
            return head + "\"type\":\"node\",\"node\":\"" + node + "\",\"deleted\":true}";
        }
        final int sender = s.a() % (nodes + 1);
        return sender == nodes
                ? head + "\"type\":\"heartbeat\",\"source\":\"collector/" + cluster + "\"}"
                : head + "\"type\":\"heartbeat\",\"source\":\"agent/" + NODES[sender] + "\",\"node\":\"" + NODES[sender]
                        + "\"}";
    }

    private static String ip(final int index, final int spelling) {
        final String[] spellings = IPS[index];
        return spellings[spelling % spellings.length];
    }

    @Override
    public String toString() {
        return "tunables: " + tunables + "\n" + recording();
    }
}
