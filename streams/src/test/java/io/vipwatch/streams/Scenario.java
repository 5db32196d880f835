package io.vipwatch.streams;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.vipwatch.schemas.event.AnnouncementChange;
import io.vipwatch.schemas.event.Heartbeat;
import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.schemas.event.NodeAddresses;
import io.vipwatch.schemas.event.NodeFacts;
import io.vipwatch.schemas.event.ServiceChange;
import io.vipwatch.schemas.event.WireObservation;
import io.vipwatch.schemas.recording.RecordingEntry;
import io.vipwatch.schemas.recording.RecordingReader;
import io.vipwatch.schemas.recording.RecordingWriter;
import io.vipwatch.streams.cli.AnalyzeCommand;
import picocli.CommandLine;

/**
 * Builds event lists for tests, in time order: {@code at(12).addresses("cp-1", "198.51.100.10/32")}. Event ids
 * are deterministic (cluster, index), times are seconds (or millis) after {@link #T0}.
 */
public final class Scenario {

    public static final long T0 = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();
    public static final String VIP = "198.51.100.10";
    public static final String POOL = "metallb.io/ip-allocated-from-pool";

    private final String cluster;
    private final List<InputEvent> events = new ArrayList<>();
    private long now = T0;

    private Scenario(final String cluster) {
        this.cluster = cluster;
    }

    public static Scenario cluster(final String cluster) {
        return new Scenario(cluster);
    }

    /** Seconds after T0. */
    public Scenario at(final double seconds) {
        now = T0 + Math.round(seconds * 1000);
        return this;
    }

    public Scenario atMillis(final long millis) {
        now = T0 + millis;
        return this;
    }

    public static long time(final double seconds) {
        return T0 + Math.round(seconds * 1000);
    }

    private String id() {
        return cluster + "-" + events.size();
    }

    /** A MetalLB-allocated LoadBalancer Service (pool annotation) claiming the given IPs. */
    public Scenario metallbService(final String name, final String... ips) {
        return service(name, null, Map.of(POOL, "pool-a"), ips);
    }

    public Scenario service(final String name, final String lbClass, final Map<String, String> annotations,
            final String... ips) {
        final String[] parts = name.split("/");
        events.add(new ServiceChange(cluster, now, "collector/" + cluster, id(), ServiceChange.Op.UPSERT, parts[0],
                parts[1], "uid-" + name, null, "LoadBalancer", lbClass, List.of(ips), List.of(), "Cluster",
                new LinkedHashMap<>(annotations)));
        return this;
    }

    public Scenario deleteService(final String name) {
        final String[] parts = name.split("/");
        events.add(new ServiceChange(cluster, now, "collector/" + cluster, id(), ServiceChange.Op.DELETE, parts[0],
                parts[1], "uid-" + name, null, "LoadBalancer", null, List.of(), List.of(), null, Map.of()));
        return this;
    }

    public Scenario announce(final String service, final String node) {
        return announcement(AnnouncementChange.Op.ANNOUNCE, service, AnnouncementChange.Announcer.METALLB_L2, node, null);
    }

    public Scenario withdraw(final String service, final String node) {
        return announcement(AnnouncementChange.Op.WITHDRAW, service, AnnouncementChange.Announcer.METALLB_L2, node, null);
    }

    public Scenario announcement(final AnnouncementChange.Op op, final String service,
            final AnnouncementChange.Announcer announcer, final String node, final String vip) {
        final String[] parts = service.split("/");
        events.add(new AnnouncementChange(cluster, now, "collector/" + cluster, id(), op, parts[0], parts[1], announcer,
                node, vip, List.of(), null));
        return this;
    }

    /** A node's full address set, each "ip/prefix" on eth0. */
    public Scenario addresses(final String node, final String... ipsWithPrefix) {
        final List<NodeAddresses.Address> addresses = new ArrayList<>();
        for (final String a : ipsWithPrefix) {
            final String[] parts = a.split("/");
            addresses.add(new NodeAddresses.Address("eth0", parts[0], Integer.parseInt(parts[1])));
        }
        events.add(new NodeAddresses(cluster, now, "agent/" + node, id(), node, addresses, false));
        return this;
    }

    /** A node's full address set (each "ip/prefix" on eth0) with eth0's MAC. */
    public Scenario addressesWithMac(final String node, final String mac, final String... ipsWithPrefix) {
        addresses(node, ipsWithPrefix);
        final NodeAddresses plain = (NodeAddresses) events.remove(events.size() - 1);
        events.add(new NodeAddresses(cluster, now, plain.source(), plain.eventId(), node, plain.addresses(), false,
                List.of(new NodeAddresses.Link("eth0", mac))));
        return this;
    }

    /** One probe by {@code prober} on eth0 for {@code ip}: the MACs that answered (none: silence). */
    public Scenario wire(final String prober, final String ip, final String... macs) {
        events.add(new WireObservation(cluster, now, "node-agent/" + prober, id(), prober, "eth0", ip,
                List.of(macs), WireObservation.DEFAULT_WINDOW_MS));
        return this;
    }

    /** Probes by {@code prober} every 10 s from the current time up to {@code untilSeconds}, each heard {@code macs}. */
    public Scenario probesUntil(final double untilSeconds, final String prober, final String ip, final String... macs) {
        final long start = now;
        for (long t = now; t <= time(untilSeconds); t += 10_000) {
            now = t;
            wire(prober, ip, macs);
        }
        now = start;
        return this;
    }

    public Scenario deleteNode(final String node) {
        events.add(new NodeAddresses(cluster, now, "collector/" + cluster, id(), node, List.of(), true));
        return this;
    }

    public Scenario worker(final String node) {
        events.add(new NodeFacts(cluster, now, "collector/" + cluster, id(), node, List.of("worker"), false, true,
                false, null, false));
        return this;
    }

    /** A control-plane node excluded from external load balancers, running kube-vip with the given svc_enable. */
    public Scenario controlPlane(final String node, final boolean svcEnable) {
        events.add(new NodeFacts(cluster, now, "collector/" + cluster, id(), node, List.of("control-plane"), true,
                false, false, new NodeFacts.KubeVip(svcEnable, true, "eth0", true, "kube-system/kube-vip-" + node,
                        "ghcr.io/kube-vip/kube-vip:v0.8.0"), false));
        return this;
    }

    public Scenario facts(final NodeFacts facts) {
        events.add(facts);
        return this;
    }

    public Scenario heartbeat(final String source, final String node) {
        events.add(new Heartbeat(cluster, now, source, id(), node, Heartbeat.DEFAULT_INTERVAL_MS));
        return this;
    }

    /** Collector heartbeats every 10 s from the current time up to {@code untilSeconds}. */
    public Scenario heartbeatsUntil(final double untilSeconds) {
        long t = now;
        final long end = time(untilSeconds);
        final long start = now;
        while (t <= end) {
            now = t;
            heartbeat("collector/" + cluster, null);
            t += 10_000;
        }
        now = start;
        events.sort(Comparator.comparingLong(InputEvent::observedAt)); // stable: keeps same-time order
        return this;
    }

    public List<InputEvent> events() {
        final List<InputEvent> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparingLong(InputEvent::observedAt));
        return sorted;
    }

    /** Merges several scenarios by time (stable). */
    public static List<InputEvent> merge(final Scenario... scenarios) {
        final List<InputEvent> all = new ArrayList<>();
        for (final Scenario s : scenarios) {
            all.addAll(s.events());
        }
        all.sort(Comparator.comparingLong(InputEvent::observedAt));
        return all;
    }

    /** The events as a recording (JSON Lines). */
    public static String recording(final List<InputEvent> events) {
        final StringWriter out = new StringWriter();
        try (RecordingWriter writer = new RecordingWriter(out, false)) {
            events.forEach(writer::write);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** The wire recording of issue 14 (test resource {@code /wire/wire-truth.jsonl}). */
    public static Path wireTruth() {
        try {
            return Path.of(Scenario.class.getResource("/wire/wire-truth.jsonl").toURI());
        } catch (final URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The lines {@code vipwatch analyze} prints for a recording (none when it alerts nothing); a failed run throws. */
    public static List<String> analyze(final Path recording) {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int code = new CommandLine(new AnalyzeCommand()).setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err)).execute(recording.toString());
        if (code != 0) {
            throw new IllegalStateException("analyze " + recording + " exited with " + code + ": " + err);
        }
        return out.toString().isEmpty() ? List.of() : List.of(out.toString().split("\n"));
    }

    /** Every event of a recording that must have no bad line. */
    public static List<InputEvent> readRecording(final Path file) {
        try {
            return readRecording(Files.newBufferedReader(file), file.toString());
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every event of a recording that must have no bad line, read (and closed) from {@code in} named {@code name}. */
    public static List<InputEvent> readRecording(final Reader in, final String name) {
        final List<InputEvent> events = new ArrayList<>();
        try (RecordingReader reader = new RecordingReader(in, name)) {
            for (final RecordingEntry entry : reader) {
                if (entry.isError()) {
                    throw new IllegalStateException(entry.error().getMessage());
                }
                events.add(entry.event());
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return events;
    }

    public static Path writeRecording(final Path file, final List<InputEvent> events) {
        try {
            Files.writeString(file, recording(events));
            return file;
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The seed incident (issue 3): MetalLB announces 198.51.100.10 for default/web from worker-1; kube-vip with
     * svc_enable=true on cp-1 binds it /32 at 12 s; the Service is deleted at 60 s, the announcement withdrawn and
     * the address removed at 61-62 s. Heartbeats run to 100 s.
     */
    public static Scenario seedIncident(final String cluster) {
        return Scenario.cluster(cluster)
                .at(0).controlPlane("cp-1", true).worker("worker-1")
                .addresses("cp-1", "10.0.0.11/24").addresses("worker-1", "10.0.0.21/24")
                .at(10).metallbService("default/web", VIP)
                .at(11).announce("default/web", "worker-1")
                .at(12).addresses("cp-1", "10.0.0.11/24", VIP + "/32")
                .at(60).deleteService("default/web")
                .at(61).withdraw("default/web", "worker-1")
                .at(62).addresses("cp-1", "10.0.0.11/24")
                .at(0).heartbeatsUntil(100);
    }
}
