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
        placeholder.addAnnouncement(new ServiceRecord.Announcement(Announcer.METALLB_L2, "worker-1", null, 5, "e-1"));
        add(lines, placeholder);
        final ServiceRecord service = new ServiceRecord("default/web");
        service.restore(true, List.of("198.51.100.10", "2001:db8::10"), "", true, true, "cp-1", 1_793_491_210_000L,
                "8d2f3c1e-0000-4000-8000-000000000001");
        // in this order, not the order the core keeps them in (node, announcer, vip)
        service.announcements().add(new ServiceRecord.Announcement(Announcer.METALLB_L2, "worker-1", null,
                1_793_491_211_000L, "a-1"));
        service.announcements().add(new ServiceRecord.Announcement(Announcer.METALLB_BGP, "worker-2", "198.51.100.10",
                1_793_491_212_000L, "a-2"));
        service.announcements().add(new ServiceRecord.Announcement(Announcer.KUBE_VIP, "cp-1", "2001:db8::10",
                1_793_491_213_000L, null));
        add(lines, service);
        final ServiceRecord pooled = new ServiceRecord("kube-system/dns");
        pooled.restore(true, List.of("203.0.113.53"), "pool-a", false, false, null, -1, null);
        add(lines, pooled);

        final NodeRecord bare = new NodeRecord("worker-9");
        add(lines, bare);
        final NodeRecord node = new NodeRecord("cp-1");
        node.setFacts(true, Boolean.FALSE, true, true, "kube-system/kube-vip-cp-1", "f-1", 1_793_491_200_000L);
        node.setAddresses(List.of(new NodeRecord.Address("198.51.100.10", "eth0", 32),
                new NodeRecord.Address("2001:db8::10", "eth1", 128), new NodeRecord.Address("10.0.0.1", "ens3", 24)),
                "n-1", 1_793_491_212_000L);
        add(lines, node);
        final NodeRecord eligible = new NodeRecord("worker-1");
        eligible.setFacts(false, Boolean.TRUE, false, false, null, null, 7);
        add(lines, eligible);

        final SourceRecord quiet = new SourceRecord("collector/c1");
        quiet.heard(1_793_491_230_000L, "h-1", null);
        quiet.setWakeAt(1_793_491_260_000L);
        add(lines, quiet);
        final SourceRecord silent = new SourceRecord("agent/worker-1");
        silent.heard(1_793_491_230_000L, null, "worker-1");
        silent.silent().open(1_793_491_260_000L, List.of("worker-1"), null, "no heartbeat from agent/worker-1 since ...");
        add(lines, silent);

        final VipRecord empty = new VipRecord("192.0.2.1");
        empty.markNew();
        add(lines, empty);
        final VipRecord vip = new VipRecord("198.51.100.10");
        vip.setLastService("default/old");
        vip.putClaim(new VipRecord.Claim("default/api", false, true, true, "cp-1", null, 100, "s-1"));
        vip.putClaim(new VipRecord.Claim("default/web", true, true, true, "cp-1", "pool-a", 200, "s-2"));
        vip.putClaim(new VipRecord.Claim("default/zz", true, false, false, null, "", 300, null));
        vip.addAnnouncement(new VipRecord.Announcement("cp-1", Announcer.KUBE_VIP, "default/api", 110, "a-1"));
        vip.addAnnouncement(new VipRecord.Announcement("worker-1", Announcer.METALLB_L2, "default/web", 210, "a-2"));
        vip.addAnnouncement(new VipRecord.Announcement("worker-2", Announcer.METALLB_BGP, "default/web", 220, "a-3"));
        vip.putBinding(new VipRecord.Binding("cp-1", "eth0", 32, 120, "n-1"));
        vip.putBinding(new VipRecord.Binding("worker-1", "eth0", 24, 230, "n-2"));
        vip.setResponders(List.of("cp-1", "worker-1"));
        vip.updated(1_793_491_227_000L);
        final AlertKind[] kinds = {AlertKind.FOREIGN_BINDING, AlertKind.DUPLICATE_RESPONDERS,
            AlertKind.EXCLUDED_NODE_OWNER, AlertKind.UNANNOUNCED, AlertKind.ORPHANED, AlertKind.DUAL_CONTROLLER,
            AlertKind.FLAPPING};
        for (int k = 0; k < kinds.length; k++) {
            final boolean open = k % 2 == 1;
            vip.conditionOrNew(kinds[k]).restore(k % 2 == 0 ? 1_000L * k : -1, k % 3 == 0 ? 2_000L * k + 1 : -1, open,
                    open ? 3_000L * k : -1, k, k == 0 ? List.of() : List.of("cp-1", "worker-" + k),
                    k == 4 ? null : "default/web", k % 3 == 1 ? null : "hint " + k + " \"quoted\" é");
        }
        vip.setPenalty(2931.7542382, 1_793_491_300_000L);
        vip.extendGroup(List.of("worker-1"), 1_793_491_299_000L);
        vip.addFlapNodes(List.of("worker-1", "worker-2"));
        vip.setWakeAt(1_793_491_301_000L);
        vip.setCause("announcement", "c1/default/web", "a-3", "collector/c1", 220);
        add(lines, vip);
        final VipRecord flapping = new VipRecord("2001:db8::10");
        flapping.putClaim(new VipRecord.Claim("default/web", true, false, false, null, "pool-a", 1, "s"));
        flapping.extendGroup(List.of(), 5);
        flapping.conditionOrNew(AlertKind.FLAPPING).restore(-1, -1, true, 9, 0, List.of(), null, null);
        flapping.setPenalty(Double.MIN_VALUE, 0);
        add(lines, flapping);
    }

    /** Format 3: a node's links, a VIP's wire probes and the wire conditions' stable codes. */
    private static void wire(final List<String> lines) {
        final NodeRecord node = new NodeRecord("w1");
        node.setAddresses(List.of(new NodeRecord.Address("10.0.0.21", "eth0", 24)), "n-9", 1_793_491_212_000L);
        node.setLinks(List.of(new NodeRecord.Link("eth0", "02:00:00:00:00:01"), new NodeRecord.Link("eth1",
                "02:00:00:00:00:0a")));
        add(lines, node);
        final VipRecord vip = new VipRecord("198.51.100.20");
        vip.putClaim(new VipRecord.Claim("default/web", true, false, false, null, "pool-a", 100, "s-1"));
        vip.addAnnouncement(new VipRecord.Announcement("w1", Announcer.METALLB_L2, "default/web", 110, "a-1"));
        vip.setResponders(List.of("mac/02:00:00:00:00:99", "w1"));
        vip.updated(1_793_491_230_000L);
        vip.setProbes(List.of(new WireProbe("w2", "eth0", List.of(), 1_793_491_230_000L, "p-1", "node-agent/w2"),
                new WireProbe("w3", "ens3", List.of("02:00:00:00:00:01", "02:00:00:00:00:99"), 1_793_491_231_000L,
                        "p-2", "node-agent/w3")));
        vip.conditionOrNew(AlertKind.UNKNOWN_RESPONDER).open(1_793_491_245_000L, List.of(), "default/web",
                "02:00:00:00:00:99, a MAC of no node of this cluster, answers ARP for 198.51.100.20");
        vip.conditionOrNew(AlertKind.WIRE_SILENT).restore(1_793_491_230_000L, -1, false, -1, 0, List.of("w1"), null,
                null);
        vip.setWakeAt(1_793_491_245_000L);
        vip.setCause("wire", "c1/198.51.100.20", "p-2", "node-agent/w3", 1_793_491_231_000L);
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
            state.nodes().all(cluster).stream().sorted((a, b) -> a.name().compareTo(b.name())).forEach(r -> add(lines, r));
            state.sources().all(cluster).stream().sorted((a, b) -> a.source().compareTo(b.source())).forEach(r -> add(lines, r));
            state.vips().all(cluster).stream().sorted((a, b) -> a.ip().compareTo(b.ip())).forEach(r -> add(lines, r));
            final TreeSet<String> services = new TreeSet<>();
            for (final VipRecord vip : state.vips().all(cluster)) {
                vip.claims().forEach(c -> services.add(c.service()));
                vip.announcements().forEach(a -> services.add(a.service()));
            }
            for (final String name : services) {
                final ServiceRecord r = state.services().get(cluster, name);
                if (r != null) {
                    add(lines, r);
                }
            }
        }
    }
}
