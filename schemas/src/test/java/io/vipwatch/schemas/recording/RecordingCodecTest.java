package io.vipwatch.schemas.recording;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.vipwatch.schemas.event.AnnouncementChange;
import io.vipwatch.schemas.event.Heartbeat;
import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.schemas.event.NodeAddresses;
import io.vipwatch.schemas.event.NodeFacts;
import io.vipwatch.schemas.event.ServiceChange;
import io.vipwatch.schemas.event.WireObservation;

class RecordingCodecTest {

    /** The five example lines of docs/recording-format.md, verbatim. */
    static final String DESIGN_EXAMPLE = """
            {"type":"service","cluster":"c1","observedAt":"2026-11-01T00:00:10Z","op":"UPSERT","namespace":"default","name":"web","uid":"u-1","loadBalancerClass":null,"ingressIps":["198.51.100.10"],"annotations":{"metallb.io/ip-allocated-from-pool":"pool-a"}}
            {"type":"announcement","cluster":"c1","observedAt":"2026-11-01T00:00:11Z","op":"ANNOUNCE","namespace":"default","name":"web","announcer":"METALLB_L2","node":"worker-1"}
            {"type":"node-addresses","cluster":"c1","observedAt":"2026-11-01T00:00:12Z","node":"cp-1","addresses":[{"interface":"eth0","ip":"198.51.100.10","prefixLength":32}]}
            {"type":"node","cluster":"c1","observedAt":"2026-11-01T00:00:00Z","node":"cp-1","roles":["control-plane"],"excludedFromLoadBalancers":true,"kubeVip":{"svcEnable":true}}
            {"type":"heartbeat","cluster":"c1","observedAt":"2026-11-01T00:00:20Z","source":"collector/c1"}
            """;

    @Test
    void readsTheDesignExample() throws Exception {
        final List<InputEvent> events = readAll(DESIGN_EXAMPLE);

        assertThat(events).hasSize(5);
        final ServiceChange service = (ServiceChange) events.get(0);
        assertThat(service.key()).isEqualTo("c1/default/web");
        assertThat(service.observedAt()).isEqualTo(Instant.parse("2026-11-01T00:00:10Z").toEpochMilli());
        assertThat(service.ingressIps()).containsExactly("198.51.100.10");
        assertThat(service.annotations()).containsEntry("metallb.io/ip-allocated-from-pool", "pool-a");
        assertThat(service.source()).isEqualTo("recording");
        final AnnouncementChange announcement = (AnnouncementChange) events.get(1);
        assertThat(announcement.announcer()).isEqualTo(AnnouncementChange.Announcer.METALLB_L2);
        assertThat(announcement.vip()).isNull();
        final NodeAddresses addresses = (NodeAddresses) events.get(2);
        assertThat(addresses.addresses()).containsExactly(new NodeAddresses.Address("eth0", "198.51.100.10", 32));
        final NodeFacts node = (NodeFacts) events.get(3);
        assertThat(node.excludedFromLoadBalancers()).isTrue();
        assertThat(node.kubeVip().svcEnable()).isTrue();
        assertThat(((Heartbeat) events.get(4)).source()).isEqualTo("collector/c1");
    }

    /** The wire examples of docs/recording-format.md, verbatim. */
    static final String WIRE_EXAMPLE = """
            {"type":"node-addresses","cluster":"c1","observedAt":"2026-11-01T00:00:12Z","node":"w1","addresses":[{"interface":"eth0","ip":"192.0.2.21","prefixLength":24}],"links":[{"interface":"eth0","mac":"02:00:00:00:00:01"}]}
            {"type":"wire","cluster":"c1","observedAt":"2026-11-01T00:00:30Z","source":"node-agent/w1","node":"w1","interface":"eth0","ip":"198.51.100.10","macs":["02:00:00:00:00:01"]}
            """;

    @Test
    void readsTheWireExample() throws Exception {
        final List<InputEvent> events = readAll(WIRE_EXAMPLE);

        assertThat(((NodeAddresses) events.get(0)).links())
                .containsExactly(new NodeAddresses.Link("eth0", "02:00:00:00:00:01"));
        final WireObservation wire = (WireObservation) events.get(1);
        assertThat(wire.key()).isEqualTo("c1/198.51.100.10");
        assertThat(wire.node()).isEqualTo("w1");
        assertThat(wire.iface()).isEqualTo("eth0");
        assertThat(wire.macs()).containsExactly("02:00:00:00:00:01");
        assertThat(wire.windowMs()).isEqualTo(WireObservation.DEFAULT_WINDOW_MS);
        assertThat(wire.source()).isEqualTo("node-agent/w1");
    }

    @Test
    void canonicalizesMacsDistinctAndSorted() {
        final String line = """
                {"type":"wire","cluster":"c1","observedAt":"2026-11-01T00:00:30Z","node":"w1","interface":"eth0","ip":"2001:DB8::A","macs":["02-00-00-00-00-0B","02:00:00:00:00:0a","02:00:00:00:00:0b"],"windowMs":500}""";

        final WireObservation wire = (WireObservation) RecordingCodec.parse(line);

        assertThat(wire.ip()).isEqualTo("2001:db8::a");
        assertThat(wire.macs()).containsExactly("02:00:00:00:00:0a", "02:00:00:00:00:0b");
        assertThat(RecordingCodec.format(wire)).contains("\"macs\":[\"02:00:00:00:00:0a\",\"02:00:00:00:00:0b\"]")
                .contains("\"windowMs\":500");
        assertThat(RecordingCodec.parse(RecordingCodec.format(wire))).isEqualTo(wire);
    }

    @Test
    void givesALineWithoutEventIdTheSameIdEveryTime() throws Exception {
        assertThat(readAll(DESIGN_EXAMPLE).get(0).eventId()).isEqualTo(readAll(DESIGN_EXAMPLE).get(0).eventId());
    }

    @Test
    void writesWhatItReadsAndReadsWhatItWrites() throws Exception {
        final List<InputEvent> events = readAll(DESIGN_EXAMPLE + WIRE_EXAMPLE);
        final StringWriter out = new StringWriter();
        try (RecordingWriter writer = new RecordingWriter(out, false)) {
            events.forEach(writer::write);
        }

        assertThat(readAll(out.toString())).isEqualTo(events);
    }

    @Test
    void canonicalizesIps() {
        final String line = """
                {"type":"node-addresses","cluster":"c1","observedAt":"2026-11-01T00:00:12Z","node":"n1","addresses":[{"interface":"eth0","ip":"2001:DB8:0::10","prefixLength":128}]}""";

        final NodeAddresses event = (NodeAddresses) RecordingCodec.parse(line);

        assertThat(event.addresses().get(0).ip()).isEqualTo("2001:db8::10");
        assertThat(RecordingCodec.format(event)).contains("\"ip\":\"2001:db8::10\"");
    }

    @Test
    void acceptsOffsetsAndFractionsInTimes() {
        final String line = """
                {"type":"heartbeat","cluster":"c1","observedAt":"2026-11-01T02:00:00.250+02:00","source":"s"}""";

        assertThat(RecordingCodec.parse(line).observedAt())
                .isEqualTo(Instant.parse("2026-11-01T00:00:00.250Z").toEpochMilli());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "not JSON            | {\"type\":                                                                                   | not JSON",
        "unknown type        | {\"type\":\"pod\",\"cluster\":\"c1\",\"observedAt\":\"2026-11-01T00:00:00Z\"}             | unknown type 'pod'",
        "missing cluster     | {\"type\":\"heartbeat\",\"observedAt\":\"2026-11-01T00:00:00Z\",\"source\":\"s\"}          | missing 'cluster'",
        "bad time            | {\"type\":\"heartbeat\",\"cluster\":\"c1\",\"observedAt\":\"yesterday\",\"source\":\"s\"} | not an RFC 3339 time",
        "unknown op          | {\"type\":\"service\",\"cluster\":\"c1\",\"observedAt\":\"2026-11-01T00:00:00Z\",\"op\":\"PATCH\",\"namespace\":\"d\",\"name\":\"w\"} | unknown op 'PATCH' (expected UPSERT, DELETE)",
        "bad ingress IP      | {\"type\":\"service\",\"cluster\":\"c1\",\"observedAt\":\"2026-11-01T00:00:00Z\",\"op\":\"UPSERT\",\"namespace\":\"d\",\"name\":\"w\",\"ingressIps\":[\"198.51.100.300\"]} | 'ingressIps[0]': invalid IP address '198.51.100.300'",
        "unknown announcer   | {\"type\":\"announcement\",\"cluster\":\"c1\",\"observedAt\":\"2026-11-01T00:00:00Z\",\"op\":\"ANNOUNCE\",\"namespace\":\"d\",\"name\":\"w\",\"announcer\":\"CILIUM\",\"node\":\"n\"} | unknown announcer 'CILIUM'",
        "addresses missing   | {\"type\":\"node-addresses\",\"cluster\":\"c1\",\"observedAt\":\"2026-11-01T00:00:00Z\",\"node\":\"n\"} | missing 'addresses'",
        "prefix too long     | {\"type\":\"node-addresses\",\"cluster\":\"c1\",\"observedAt\":\"2026-11-01T00:00:00Z\",\"node\":\"n\",\"addresses\":[{\"interface\":\"eth0\",\"ip\":\"192.0.2.1\",\"prefixLength\":33}]} | 'addresses[0].prefixLength' must be 0..32",
        "bad MAC             | {\"type\":\"wire\",\"cluster\":\"c1\",\"observedAt\":\"2026-11-01T00:00:00Z\",\"node\":\"w1\",\"interface\":\"eth0\",\"ip\":\"192.0.2.1\",\"macs\":[\"02:00:00:00:00:01\",\"02:00:00:00:zz:02\"]} | 'macs[1]': invalid MAC address '02:00:00:00:zz:02'",
        "wire without ip     | {\"type\":\"wire\",\"cluster\":\"c1\",\"observedAt\":\"2026-11-01T00:00:00Z\",\"node\":\"w1\",\"interface\":\"eth0\"} | missing 'ip'",
        "bad link MAC        | {\"type\":\"node-addresses\",\"cluster\":\"c1\",\"observedAt\":\"2026-11-01T00:00:00Z\",\"node\":\"n\",\"addresses\":[],\"links\":[{\"interface\":\"eth0\",\"mac\":\"0200.0000.0001\"}]} | 'links[0].mac': invalid MAC address '0200.0000.0001'",
        "svcEnable not bool  | {\"type\":\"node\",\"cluster\":\"c1\",\"observedAt\":\"2026-11-01T00:00:00Z\",\"node\":\"n\",\"kubeVip\":{\"svcEnable\":\"true\"}} | 'kubeVip.svcEnable' must be true or false",
    })
    void reportsBadLinesAsFileLineReason(final String description, final String badLine, final String reason)
            throws Exception {
        final String text = "# a comment\n\n" + badLine + "\n"
                + "{\"type\":\"heartbeat\",\"cluster\":\"c1\",\"observedAt\":\"2026-11-01T00:00:20Z\",\"source\":\"s\"}\n";
        final List<RecordingEntry> entries = new ArrayList<>();
        try (RecordingReader reader = new RecordingReader(new StringReader(text), "incident.jsonl")) {
            reader.forEach(entries::add);
        }

        assertThat(entries).hasSize(2);
        assertThat(entries.get(0).isError()).isTrue();
        assertThat(entries.get(0).error().getMessage()).startsWith("incident.jsonl:3: ").contains(reason);
        assertThat(entries.get(1).event()).as("the good line after the bad one is kept").isInstanceOf(Heartbeat.class);
    }

    static List<InputEvent> readAll(final String text) throws Exception {
        final List<InputEvent> events = new ArrayList<>();
        try (RecordingReader reader = new RecordingReader(new StringReader(text), "test.jsonl")) {
            for (final RecordingEntry entry : reader) {
                assertThat(entry.error()).isNull();
                events.add(entry.event());
            }
        }
        return events;
    }
}
