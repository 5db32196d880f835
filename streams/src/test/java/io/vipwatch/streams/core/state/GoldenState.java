package io.vipwatch.streams.core.state;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.TreeSet;

import io.vipwatch.streams.core.vocabulary.AlertKind;
import io.vipwatch.streams.core.vocabulary.Announcer;
import io.vipwatch.streams.core.DetectionSettings;
import io.vipwatch.streams.core.Detector;
import io.vipwatch.streams.core.InMemoryState;
import io.vipwatch.streams.fleet.FleetRecording;

/**
 * Writes golden state: every kind of record, hand-built to use every field, every announcer and every
 * condition kind, plus the state of a small fleet with incidents at three moments, each as a line
 * {@code type TAB base64(codec bytes) TAB StateText}. {@code state-v1.txt} was written by the version-1 codec
 * (commit "golden bytes of the version-1 state codec"), {@code state-v2.txt} by version 2, {@code state-v3.txt} by
 * version 3 (with {@link #wire}: links and wire probes); never regenerate one: a new format version gets its own
 * file, and every file stays readable.
 *
 * <pre>java -cp ... io.vipwatch.streams.core.state.GoldenState streams/src/test/resources/state/state-vN.txt</pre>
 */
public final class GoldenState {

    private GoldenState() {
    }

    public static void main(final String[] args) throws IOException {
        final List<String> lines = new ArrayList<>();
        handBuilt(lines);
        wire(lines);
        fleet(lines);
        try (BufferedWriter out = Files.newBufferedWriter(Path.of(args[0]), StandardCharsets.UTF_8)) {
            for (final String line : lines) {
                out.write(line);
                out.write('\n');
            }
        }
        System.err.println("wrote " + lines.size() + " records to " + args[0]);
    }

    private static String line(final String type, final byte[] bytes, final String text) {
        return type + "\t" + Base64.getEncoder().encodeToString(bytes) + "\t" + text;
    }

    private static void add(final List<String> lines, final ClusterRecord r) {
        lines.add(line("cluster", StateCodec.encode(r), StateText.of(r)));
    }

    private static void add(final List<String> lines, final ServiceRecord r) {
        lines.add(line("service", StateCodec.encode(r), StateText.of(r)));
    }

    private static void add(final List<String> lines, final NodeRecord r) {
        lines.add(line("node", StateCodec.encode(r), StateText.of(r)));
    }

    private static void add(final List<String> lines, final SourceRecord r) {
        lines.add(line("source", StateCodec.encode(r), StateText.of(r)));
    }

    private static void add(final List<String> lines, final VipRecord r) {
        lines.add(line("vip", StateCodec.encode(r), StateText.of(r)));
    }

    private static void handBuilt(final List<String> lines) {
        final ClusterRecord fresh = new ClusterRecord("c-empty");
        add(lines, fresh);
        final ClusterRecord cluster = new ClusterRecord("c1");
        cluster.advance(1_793_491_227_000L, 1_800_000_000_123L);
        cluster.dirty().add("198.51.100.10");
        cluster.dirty().add("2001:db8::10");
        cluster.deletedNodes().add("worker-2");
        add(lines, cluster);

        final ServiceRecord placeholder = new ServiceRecord("default/ghost");
        placeholder.announcements.add(new ServiceRecord.Announcement(Announcer.METALLB_L2, "worker-1", null, 5, "e-1"));
        add(lines, placeholder);
        final ServiceRecord service = new ServiceRecord("default/web");
        service.exists = true;
        service.ingressIps = List.of("198.51.100.10", "2001:db8::10");
        service.metallbPool = "";
        service.kubeVipClass = true;
        service.kubeVipAnnotated = true;
        service.vipHost = "cp-1";
        service.since = 1_793_491_210_000L;
        service.eventId = "8d2f3c1e-0000-4000-8000-000000000001";
        service.announcements.add(new ServiceRecord.Announcement(Announcer.METALLB_L2, "worker-1", null,
                1_793_491_211_000L, "a-1"));
        service.announcements.add(new ServiceRecord.Announcement(Announcer.METALLB_BGP, "worker-2", "198.51.100.10",
                1_793_491_212_000L, "a-2"));
        service.announcements.add(new ServiceRecord.Announcement(Announcer.KUBE_VIP, "cp-1", "2001:db8::10",
                1_793_491_213_000L, null));
        add(lines, service);
        final ServiceRecord pooled = new ServiceRecord("kube-system/dns");
        pooled.exists = true;
        pooled.ingressIps = List.of("203.0.113.53");
        pooled.metallbPool = "pool-a";
        pooled.since = -1;
        add(lines, pooled);

        final NodeRecord bare = new NodeRecord("worker-9");
        add(lines, bare);
        final NodeRecord node = new NodeRecord("cp-1");
        node.hasFacts = true;
        node.excluded = true;
        node.speakerEligible = Boolean.FALSE;
        node.kubeVip = true;
        node.svcEnable = true;
        node.kubeVipPod = "kube-system/kube-vip-cp-1";
        node.factsEventId = "f-1";
        node.factsAt = 1_793_491_200_000L;
        node.addresses = List.of(new NodeRecord.Address("198.51.100.10", "eth0", 32),
                new NodeRecord.Address("2001:db8::10", "eth1", 128), new NodeRecord.Address("10.0.0.1", "ens3", 24));
        node.addressesEventId = "n-1";
        node.addressesAt = 1_793_491_212_000L;
        add(lines, node);
        final NodeRecord eligible = new NodeRecord("worker-1");
        eligible.hasFacts = true;
        eligible.speakerEligible = Boolean.TRUE;
        eligible.factsAt = 7;
        add(lines, eligible);

        final SourceRecord quiet = new SourceRecord("collector/c1");
        quiet.heard(1_793_491_230_000L, "h-1", null);
        quiet.setWakeAt(1_793_491_260_000L);
        add(lines, quiet);
        final SourceRecord silent = new SourceRecord("agent/worker-1");
        silent.heard(1_793_491_230_000L, null, "worker-1");
        silent.silent().open = true;
        silent.silent().openedAt = 1_793_491_260_000L;
        silent.silent().seq = 0;
        silent.silent().nodes = List.of("worker-1");
        silent.silent().hint = "no heartbeat from agent/worker-1 since ...";
        add(lines, silent);

        final VipRecord empty = new VipRecord("192.0.2.1");
        empty.updatedAt = -1;
        add(lines, empty);
        final VipRecord vip = new VipRecord("198.51.100.10");
        vip.lastService = "default/old";
        vip.claims.add(new VipRecord.Claim("default/api", false, true, true, "cp-1", null, 100, "s-1"));
        vip.claims.add(new VipRecord.Claim("default/web", true, true, true, "cp-1", "pool-a", 200, "s-2"));
        vip.claims.add(new VipRecord.Claim("default/zz", true, false, false, null, "", 300, null));
        vip.announcements.add(new VipRecord.Announcement("cp-1", Announcer.KUBE_VIP, "default/api", 110, "a-1"));
        vip.announcements.add(new VipRecord.Announcement("worker-1", Announcer.METALLB_L2, "default/web", 210, "a-2"));
        vip.announcements.add(new VipRecord.Announcement("worker-2", Announcer.METALLB_BGP, "default/web", 220, "a-3"));
        vip.bindings.add(new VipRecord.Binding("cp-1", "eth0", 32, 120, "n-1"));
        vip.bindings.add(new VipRecord.Binding("worker-1", "eth0", 24, 230, "n-2"));
        vip.responders = List.of("cp-1", "worker-1");
        vip.updatedAt = 1_793_491_227_000L;
        final AlertKind[] kinds = {AlertKind.FOREIGN_BINDING, AlertKind.DUPLICATE_RESPONDERS,
            AlertKind.EXCLUDED_NODE_OWNER, AlertKind.UNANNOUNCED, AlertKind.ORPHANED, AlertKind.DUAL_CONTROLLER,
            AlertKind.FLAPPING};
        for (int k = 0; k < kinds.length; k++) {
            final Condition c = vip.conditionOrNew(kinds[k]);
            c.activeSince = k % 2 == 0 ? 1_000L * k : -1;
            c.inactiveSince = k % 3 == 0 ? 2_000L * k + 1 : -1;
            c.open = k % 2 == 1;
            c.openedAt = c.open ? 3_000L * k : -1;
            c.seq = k;
            c.nodes = k == 0 ? List.of() : List.of("cp-1", "worker-" + k);
            c.service = k == 4 ? null : "default/web";
            c.hint = k % 3 == 1 ? null : "hint " + k + " \"quoted\" é";
        }
        vip.penalty = 2931.7542382;
        vip.penaltyAt = 1_793_491_300_000L;
        vip.groupStart = List.of("worker-1");
        vip.groupLast = 1_793_491_299_000L;
        vip.addFlapNodes(List.of("worker-1", "worker-2"));
        vip.wakeAt = 1_793_491_301_000L;
        vip.causeType = "announcement";
        vip.causeKey = "c1/default/web";
        vip.causeEventId = "a-3";
        vip.causeSource = "collector/c1";
        vip.causeAt = 220;
        add(lines, vip);
        final VipRecord flapping = new VipRecord("2001:db8::10");
        flapping.claims.add(new VipRecord.Claim("default/web", true, false, false, null, "pool-a", 1, "s"));
        flapping.groupStart = List.of();
        flapping.groupLast = 5;
        flapping.conditionOrNew(AlertKind.FLAPPING).open = true;
        flapping.conditionOrNew(AlertKind.FLAPPING).openedAt = 9;
        flapping.penalty = Double.MIN_VALUE;
        add(lines, flapping);
    }

    /** Format 3: a node's links, a VIP's wire probes and the wire conditions' stable codes. */
    private static void wire(final List<String> lines) {
        final NodeRecord node = new NodeRecord("w1");
        node.addresses = List.of(new NodeRecord.Address("10.0.0.21", "eth0", 24));
        node.addressesEventId = "n-9";
        node.addressesAt = 1_793_491_212_000L;
        node.links = List.of(new NodeRecord.Link("eth0", "02:00:00:00:00:01"), new NodeRecord.Link("eth1",
                "02:00:00:00:00:0a"));
        add(lines, node);
        final VipRecord vip = new VipRecord("198.51.100.20");
        vip.claims.add(new VipRecord.Claim("default/web", true, false, false, null, "pool-a", 100, "s-1"));
        vip.announcements.add(new VipRecord.Announcement("w1", Announcer.METALLB_L2, "default/web", 110, "a-1"));
        vip.responders = List.of("mac/02:00:00:00:00:99", "w1");
        vip.updatedAt = 1_793_491_230_000L;
        vip.probes = List.of(new WireProbe("w2", "eth0", List.of(), 1_793_491_230_000L, "p-1", "node-agent/w2"),
                new WireProbe("w3", "ens3", List.of("02:00:00:00:00:01", "02:00:00:00:00:99"), 1_793_491_231_000L,
                        "p-2", "node-agent/w3"));
        final Condition unknown = vip.conditionOrNew(AlertKind.UNKNOWN_RESPONDER);
        unknown.open = true;
        unknown.openedAt = 1_793_491_245_000L;
        unknown.service = "default/web";
        unknown.hint = "02:00:00:00:00:99, a MAC of no node of this cluster, answers ARP for 198.51.100.20";
        final Condition silent = vip.conditionOrNew(AlertKind.WIRE_SILENT);
        silent.activeSince = 1_793_491_230_000L;
        silent.nodes = List.of("w1");
        vip.wakeAt = 1_793_491_245_000L;
        vip.causeType = "wire";
        vip.causeKey = "c1/198.51.100.20";
        vip.causeEventId = "p-2";
        vip.causeSource = "node-agent/w3";
        vip.causeAt = 1_793_491_231_000L;
        add(lines, vip);
    }

    /** A small fleet with the seed incidents, dumped after 8k, 20k and 45k events. */
    private static void fleet(final List<String> lines) {
        final InMemoryState state = new InMemoryState();
        final Detector detector = new Detector(DetectionSettings.defaults(), state, alert -> { });
        final int[] count = {0};
        new FleetRecording(7, 2, 5, 8, true).generate(45_000, event -> {
            detector.accept(event);
            count[0]++;
            if (count[0] == 8_000 || count[0] == 20_000 || count[0] == 45_000) {
                dump(lines, state);
            }
        });
    }

    private static void dump(final List<String> lines, final InMemoryState state) {
        for (final String cluster : state.clusters()) {
            add(lines, state.cluster(cluster));
            state.nodes(cluster).stream().sorted((a, b) -> a.name.compareTo(b.name)).forEach(r -> add(lines, r));
            state.sources(cluster).stream().sorted((a, b) -> a.source().compareTo(b.source())).forEach(r -> add(lines, r));
            state.vips(cluster).stream().sorted((a, b) -> a.ip.compareTo(b.ip)).forEach(r -> add(lines, r));
            final TreeSet<String> services = new TreeSet<>();
            for (final VipRecord vip : state.vips(cluster)) {
                vip.claims.forEach(c -> services.add(c.service()));
                vip.announcements.forEach(a -> services.add(a.service()));
            }
            for (final String name : services) {
                final ServiceRecord r = state.service(cluster, name);
                if (r != null) {
                    add(lines, r);
                }
            }
        }
    }
}
