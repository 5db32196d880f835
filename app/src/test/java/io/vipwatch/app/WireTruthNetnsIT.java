package io.vipwatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vipwatch.collector.cli.NodeAgentCommand;
import io.vipwatch.collector.testing.AgentProcess;
import io.vipwatch.collector.testing.L2Segment;
import io.vipwatch.schemas.event.WireObservation;
import io.vipwatch.schemas.recording.RecordingCodec;

/**
 * Wire truth end to end: {@code node-agent --probe --output -} captures real ARP and NDP answers on a segment of
 * namespaces; with the Services and the speaker's announcements around it, {@code vipwatch analyze} over that
 * recording names a host outside the cluster that holds a VIP ({@code UNKNOWN_RESPONDER}, its MAC) and a VIP whose
 * announcing speaker stopped answering ({@code WIRE_SILENT}).
 */
class WireTruthNetnsIT {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final String WEB = "198.51.100.10";
    static final String DB = "198.51.100.12";
    static final String DB6 = "2001:db8:1::12";

    @Test
    void analyzeOverTheProbingAgentsRecordingRaisesUnknownResponderAndWireSilent(@TempDir final Path dir)
            throws Exception {
        L2Segment.assumeArping();
        try (L2Segment lan = L2Segment.create("w1", "w2", "outside")) {
            lan.bind("w1", "198.51.100.1/24");
            lan.bind("w1", "2001:db8:1::1/64");
            lan.bind("w2", "198.51.100.2/24");
            lan.bind("w2", "2001:db8:1::2/64");
            lan.bind("outside", "198.51.100.4/24");
            lan.bind("outside", "2001:db8:1::4/64");
            // w2 is MetalLB's speaker for both Services: it answers without binding; a forgotten host holds db's VIPs
            lan.proxy("w2", WEB);
            lan.proxy("w2", DB);
            lan.proxy("w2", DB6);
            lan.bind("outside", DB + "/32");
            lan.bind("outside", DB6 + "/128");

            final List<String> captured;
            try (AgentProcess agent = AgentProcess.start(lan.host("w1"), NodeAgentCommand.class, "--node", "w1",
                    "--cluster", "c1", "--output", "-", "--heartbeat-interval", "1s", "--probe", "--probe-interval",
                    "1s", "--probe-vips", String.join(",", WEB, DB, DB6))) {
                wire(agent, WEB, 1);
                wire(agent, DB, 2);
                wire(agent, DB6, 2);
                lan.stopProxy("w2", WEB); // the speaker still claims the VIP but answers nothing any more
                for (int silent = 0; silent < 5; silent++) {
                    wire(agent, WEB, 0);
                }
                captured = agent.lines();
            }

            final Path recording = dir.resolve("incident.jsonl");
            Files.write(recording, recording(lan, captured));
            final StringWriter out = new StringWriter();
            final StringWriter err = new StringWriter();
            final int exit = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                    .execute("analyze", "--grace", "2s", recording.toString());
            assertThat(exit).as("analyze: %s", err).isZero();
            final List<String> alerts = out.toString().lines().toList();
            assertThat(alerts).as("alerts of %s", recording).anySatisfy(alert -> assertThat(alert)
                    .contains("\"state\":\"OPENED\"", "\"kind\":\"UNKNOWN_RESPONDER\"", "\"vip\":\"" + DB + "\"",
                            lan.mac("outside")));
            assertThat(alerts).anySatisfy(alert -> assertThat(alert)
                    .contains("\"state\":\"OPENED\"", "\"kind\":\"UNKNOWN_RESPONDER\"", "\"vip\":\"" + DB6 + "\"",
                            lan.mac("outside")));
            assertThat(alerts).anySatisfy(alert -> assertThat(alert)
                    .contains("\"state\":\"OPENED\"", "\"kind\":\"WIRE_SILENT\"", "\"vip\":\"" + WEB + "\""));
            assertThat(alerts).noneSatisfy(alert -> assertThat(alert)
                    .contains("\"kind\":\"UNKNOWN_RESPONDER\"", "\"vip\":\"" + WEB + "\""));
        }
    }

    /** Waits for a wire observation of {@code vip} with {@code macs} MACs. */
    private static void wire(final AgentProcess agent, final String vip, final int macs) throws InterruptedException {
        agent.next(e -> e instanceof WireObservation wire && wire.ip().equals(vip) && wire.macs().size() == macs,
                WAIT);
    }

    /**
     * The API's view a second before the capture (the two Services, w2 announcing them, w2's addresses and MAC as
     * its node agent would send them), then the capture, all in time order.
     */
    private static List<String> recording(final L2Segment lan, final List<String> captured) {
        final List<String> lines = new ArrayList<>(captured);
        lines.sort(Comparator.comparingLong(line -> RecordingCodec.parse(line).observedAt()));
        final String at = Instant.ofEpochMilli(RecordingCodec.parse(lines.get(0)).observedAt() - 1000).toString();
        final List<String> api = new ArrayList<>();
        api.add(service(at, "web", "u-1", WEB));
        api.add(service(at, "db", "u-2", DB + "\",\"" + DB6));
        api.add(announcement(at, "web"));
        api.add(announcement(at, "db"));
        api.add("{\"type\":\"node-addresses\",\"cluster\":\"c1\",\"observedAt\":\"" + at + "\",\"source\":"
                + "\"node-agent/c1/w2\",\"node\":\"w2\",\"addresses\":[{\"interface\":\"eth0\",\"ip\":\"198.51.100.2\","
                + "\"prefixLength\":24}],\"links\":[{\"interface\":\"eth0\",\"mac\":\"" + lan.mac("w2") + "\"}]}");
        api.addAll(lines);
        return api;
    }

    private static String service(final String at, final String name, final String uid, final String ips) {
        return "{\"type\":\"service\",\"cluster\":\"c1\",\"observedAt\":\"" + at + "\",\"source\":\"collector/c1\","
                + "\"op\":\"UPSERT\",\"namespace\":\"default\",\"name\":\"" + name + "\",\"uid\":\"" + uid + "\","
                + "\"ingressIps\":[\"" + ips + "\"],\"annotations\":{\"metallb.io/ip-allocated-from-pool\":\"pool-a\"}}";
    }

    private static String announcement(final String at, final String name) {
        return "{\"type\":\"announcement\",\"cluster\":\"c1\",\"observedAt\":\"" + at + "\",\"source\":\"collector/c1\","
                + "\"op\":\"ANNOUNCE\",\"namespace\":\"default\",\"name\":\"" + name + "\",\"announcer\":\"METALLB_L2\","
                + "\"node\":\"w2\"}";
    }
}
