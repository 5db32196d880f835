package io.vipwatch.schemas.recording;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.schemas.event.NodeAddresses;

/** The reader's fast path gives exactly what the Jackson path gives: the same event, or the same error. */
class FastLineParserTest {

    private static final String ADDRESSES = "{\"type\":\"node-addresses\",\"cluster\":\"c1\",\"observedAt\":"
            + "\"2026-11-01T00:00:12.345Z\",\"node\":\"cp-1\",\"addresses\":[{\"interface\":\"eth0\",\"ip\":\"198.51.100.10\","
            + "\"prefixLength\":32}],\"source\":\"agent/cp-1\",\"eventId\":\"e-1\"}";

    private static final String WIRE = "{\"type\":\"wire\",\"cluster\":\"c1\",\"observedAt\":\"2026-11-01T00:00:30Z\","
            + "\"source\":\"node-agent/w1\",\"node\":\"w1\",\"interface\":\"eth0\",\"ip\":\"198.51.100.10\","
            + "\"macs\":[\"02:00:00:00:00:01\"]}";

    private static final String LINKS = ADDRESSES.replace(",\"source\"",
            ",\"links\":[{\"interface\":\"eth0\",\"mac\":\"02:00:00:00:00:01\"}],\"source\"");

    /** Lines of every kind, well-formed or not, each in a form the fast path takes or one it leaves to Jackson. */
    static final List<String> LINES = List.of(
            ADDRESSES,
            ADDRESSES.replace("\"eventId\":\"e-1\"", "\"eventId\":null"),
            ADDRESSES.replace(",\"eventId\":\"e-1\"", ""),
            ADDRESSES.replace("12.345Z", "12Z"),
            ADDRESSES.replace("12.345Z", "12.345+02:00"),
            ADDRESSES.replace("12.345Z", "12.3456Z"),
            ADDRESSES.replace("12.345Z", "12.345z"),
            ADDRESSES.replace("2026-11-01T00:00:12.345Z", "2026-02-30T00:00:12Z"),
            ADDRESSES.replace("2026-11-01T00:00:12.345Z", "yesterday"),
            ADDRESSES.replace("\"2026-11-01T00:00:12.345Z\"", "null"),
            ADDRESSES.replace("\"2026-11-01T00:00:12.345Z\"", "\"\""),
            ADDRESSES.replace("\"2026-11-01T00:00:12.345Z\"", "12"),
            ADDRESSES.replace("198.51.100.10", "2001:DB8:0::10").replace("32}", "128}"),
            ADDRESSES.replace("198.51.100.10", "2001:DB8:0::10"),
            ADDRESSES.replace("198.51.100.10", "198.051.100.10"),
            ADDRESSES.replace("198.51.100.10", ""),
            ADDRESSES.replace("\"ip\":\"198.51.100.10\",", ""),
            ADDRESSES.replace("\"prefixLength\":32", "\"prefixLength\":33"),
            ADDRESSES.replace("\"prefixLength\":32", "\"prefixLength\":-1"),
            ADDRESSES.replace("\"prefixLength\":32", "\"prefixLength\":032"),
            ADDRESSES.replace("\"prefixLength\":32", "\"prefixLength\":32.0"),
            ADDRESSES.replace("\"prefixLength\":32", "\"prefixLength\":3e1"),
            ADDRESSES.replace("\"prefixLength\":32", "\"prefixLength\":null"),
            ADDRESSES.replace("\"prefixLength\":32", "\"prefixLength\":\"32\""),
            ADDRESSES.replace("\"prefixLength\":32", "\"prefixLength\":99999999999999999999999"),
            ADDRESSES.replace("\"interface\":\"eth0\"", "\"interface\":null"),
            ADDRESSES.replace("\"interface\":\"eth0\"", "\"interface\":\"\""),
            ADDRESSES.replace("\"interface\":\"eth0\",", "\"interface\":\"eth0\",\"extra\":{\"a\":[1,2.5,-3e+2,true,null]},"),
            ADDRESSES.replace("[{\"interface\"", "[{\"interface\":\"eth1\",\"ip\":\"192.0.2.1\",\"prefixLength\":24},"
                    + "{\"interface\"").replace("}],", "},{\"interface\":\"eth2\",\"ip\":\"192.0.2.2\",\"prefixLength\":24}],"),
            ADDRESSES.replace("[{\"interface\":\"eth0\",\"ip\":\"198.51.100.10\",\"prefixLength\":32}]", "[]"),
            ADDRESSES.replace("[{\"interface\":\"eth0\",\"ip\":\"198.51.100.10\",\"prefixLength\":32}]", "null"),
            ADDRESSES.replace("[{\"interface\":\"eth0\",\"ip\":\"198.51.100.10\",\"prefixLength\":32}]", "[{}]"),
            ADDRESSES.replace("[{\"interface\":\"eth0\",\"ip\":\"198.51.100.10\",\"prefixLength\":32}]", "[1]"),
            ADDRESSES.replace("[{\"interface\":\"eth0\",\"ip\":\"198.51.100.10\",\"prefixLength\":32}]", "{}"),
            ADDRESSES.replace("\"node\":\"cp-1\"", "\"node\":\"cp-\\u0031\""),
            ADDRESSES.replace("\"node\":\"cp-1\"", "\"node\":\"n\u00f6de\""),
            ADDRESSES.replace("\"node\":\"cp-1\"", "\"node\":\"a\tb\""),
            ADDRESSES.replace("\"node\":\"cp-1\"", "\"node\":\"a\\\"b\""),
            ADDRESSES.replace("\"node\":\"cp-1\"", "\"node\":\"\""),
            ADDRESSES.replace("\"node\":\"cp-1\"", "\"node\":1"),
            ADDRESSES.replace("\"node\":\"cp-1\"", "\"node\":[\"cp-1\"]"),
            ADDRESSES.replace("\"node\":\"cp-1\"", "\"node\":\"cp-1\",\"node\":\"cp-2\""),
            ADDRESSES.replace("\"node\":\"cp-1\",", ""),
            ADDRESSES.replace("\"cluster\":\"c1\"", "\"cluster\" : \"c1\" "),
            ADDRESSES.replace("{\"type\"", " \t{ \"type\""),
            ADDRESSES + " ",
            ADDRESSES + "\r",
            ADDRESSES + " {}",
            ADDRESSES + "x",
            ADDRESSES.substring(0, ADDRESSES.length() - 1),
            ADDRESSES.substring(0, 60),
            ADDRESSES.replace("}],", "},],"),
            ADDRESSES.replace("\"type\":\"node-addresses\"", "\"type\":\"nodes\""),
            ADDRESSES.replace("\"type\":\"node-addresses\"", "\"type\":null"),
            ADDRESSES.replace("\"type\":\"node-addresses\",", ""),
            ADDRESSES.replace("\"type\":\"node-addresses\",", "\"unknown\":truex,"),
            ADDRESSES.replace("\"type\":\"node-addresses\",", "\"unknown\":01,") + "",
            "{\"type\":\"node-addresses\",\"cluster\":\"c1\",\"observedAt\":\"2026-11-01T00:00:12Z\",\"node\":\"n1\","
                    + "\"deleted\":true}",
            "{\"type\":\"node-addresses\",\"cluster\":\"c1\",\"observedAt\":\"2026-11-01T00:00:12Z\",\"node\":\"n1\","
                    + "\"deleted\":\"yes\"}",
            "{\"type\":\"heartbeat\",\"cluster\":\"c1\",\"observedAt\":\"2026-11-01T00:00:20Z\",\"source\":\"collector/c1\"}",
            "{\"type\":\"heartbeat\",\"cluster\":\"c1\",\"observedAt\":\"2026-11-01T00:00:20Z\",\"source\":\"agent/n1\","
                    + "\"node\":\"n1\",\"intervalMs\":5000,\"eventId\":\"h\"}",
            "{\"type\":\"heartbeat\",\"cluster\":\"c1\",\"observedAt\":\"2026-11-01T00:00:20Z\",\"source\":\"agent/n1\","
                    + "\"intervalMs\":-0}",
            "{\"type\":\"heartbeat\",\"cluster\":\"c1\",\"observedAt\":\"2026-11-01T00:00:20Z\",\"source\":\"agent/n1\","
                    + "\"intervalMs\":5000.5}",
            "{\"type\":\"heartbeat\",\"cluster\":\"c1\",\"observedAt\":\"2026-11-01T00:00:20Z\",\"intervalMs\":5}",
            "{\"type\":\"service\",\"cluster\":\"c1\",\"observedAt\":\"2026-11-01T00:00:10Z\",\"op\":\"UPSERT\","
                    + "\"namespace\":\"default\",\"name\":\"web\",\"uid\":\"u-1\",\"resourceVersion\":\"7\","
                    + "\"serviceType\":\"LoadBalancer\",\"loadBalancerClass\":null,\"externalTrafficPolicy\":\"Local\","
                    + "\"ingressIps\":[\"198.51.100.10\",\"2001:db8::1\"],\"requestedIps\":[],"
                    + "\"annotations\":{\"metallb.io/ip-allocated-from-pool\":\"pool-a\",\"b\":\"\"}}",
            "{\"type\":\"service\",\"cluster\":\"c1\",\"observedAt\":\"2026-11-01T00:00:10Z\",\"op\":\"UPSERT\","
                    + "\"namespace\":\"default\",\"name\":\"web\",\"ingressIps\":null,\"requestedIps\":[\"10.0.0.256\"]}",
            "{\"type\":\"service\",\"cluster\":\"c1\",\"observedAt\":\"2026-11-01T00:00:10Z\",\"op\":\"UPSERT\","
                    + "\"namespace\":\"default\",\"name\":\"web\",\"ingressIps\":[null],\"annotations\":null}",
            "{\"type\":\"service\",\"cluster\":\"c1\",\"observedAt\":\"2026-11-01T00:00:10Z\",\"op\":\"UPSERT\","
                    + "\"namespace\":\"default\",\"name\":\"web\",\"annotations\":{\"a\":1}}",
            "{\"type\":\"service\",\"cluster\":\"c1\",\"observedAt\":\"2026-11-01T00:00:10Z\",\"op\":\"upsert\","
                    + "\"namespace\":\"default\",\"name\":\"web\"}",
            "{\"type\":\"service\",\"cluster\":\"c1\",\"observedAt\":\"2026-11-01T00:00:10Z\",\"op\":\"DELETE\","
                    + "\"namespace\":\"default\",\"name\":\"web\",\"annotations\":{\"a\":\"x\",\"a\":\"y\"}}",
            "{\"type\":\"announcement\",\"cluster\":\"c1\",\"observedAt\":\"2026-11-01T00:00:11Z\",\"op\":\"ANNOUNCE\","
                    + "\"namespace\":\"default\",\"name\":\"web\",\"announcer\":\"METALLB_L2\",\"node\":\"worker-1\","
                    + "\"vip\":\"2001:DB8::A\",\"interfaces\":[\"eth0\",\"eth1\"],"
                    + "\"evidence\":{\"kind\":\"event\",\"ref\":\"r\",\"detail\":\"d\",\"more\":[]}}",
            "{\"type\":\"announcement\",\"cluster\":\"c1\",\"observedAt\":\"2026-11-01T00:00:11Z\",\"op\":\"ANNOUNCE\","
                    + "\"namespace\":\"default\",\"name\":\"web\",\"announcer\":\"METALLB_L2\",\"node\":\"worker-1\","
                    + "\"vip\":null,\"interfaces\":null,\"evidence\":{}}",
            "{\"type\":\"announcement\",\"cluster\":\"c1\",\"observedAt\":\"2026-11-01T00:00:11Z\",\"op\":\"ANNOUNCE\","
                    + "\"namespace\":\"default\",\"name\":\"web\",\"announcer\":\"METALLB_L2\",\"node\":\"worker-1\","
                    + "\"vip\":\"\",\"evidence\":null}",
            "{\"type\":\"announcement\",\"cluster\":\"c1\",\"observedAt\":\"2026-11-01T00:00:11Z\",\"op\":\"ANNOUNCE\","
                    + "\"namespace\":\"default\",\"name\":\"web\",\"announcer\":\"NOBODY\",\"node\":\"worker-1\"}",
            "{\"type\":\"node\",\"cluster\":\"c1\",\"observedAt\":\"2026-11-01T00:00:00Z\",\"node\":\"cp-1\","
                    + "\"roles\":[\"control-plane\"],\"excludedFromLoadBalancers\":true,\"speakerEligible\":false,"
                    + "\"networkUnavailable\":null,\"kubeVip\":{\"svcEnable\":true,\"cpEnable\":false,\"arp\":true,"
                    + "\"vipInterface\":\"eth0\",\"pod\":\"kube-system/kube-vip-cp-1\",\"image\":\"kube-vip:v1\",\"x\":{}}}",
            "{\"type\":\"node\",\"cluster\":\"c1\",\"observedAt\":\"2026-11-01T00:00:00Z\",\"node\":\"cp-1\","
                    + "\"kubeVip\":{}}",
            "{\"type\":\"node\",\"cluster\":\"c1\",\"observedAt\":\"2026-11-01T00:00:00Z\",\"node\":\"cp-1\","
                    + "\"kubeVip\":{\"svcEnable\":null}}",
            "{\"type\":\"node\",\"cluster\":\"c1\",\"observedAt\":\"2026-11-01T00:00:00Z\",\"node\":\"cp-1\","
                    + "\"kubeVip\":null,\"roles\":[],\"deleted\":false}",
            "{\"type\":\"node\",\"cluster\":\"c1\",\"observedAt\":\"2026-11-01T00:00:00Z\",\"node\":\"cp-1\","
                    + "\"roles\":[1]}",
            WIRE,
            WIRE.replace("[\"02:00:00:00:00:01\"]", "[]"),
            WIRE.replace("[\"02:00:00:00:00:01\"]", "null"),
            WIRE.replace(",\"macs\":[\"02:00:00:00:00:01\"]", ""),
            WIRE.replace("[\"02:00:00:00:00:01\"]", "[\"02:00:00:00:00:02\",\"02:00:00:00:00:01\",\"02:00:00:00:00:02\"]"),
            WIRE.replace("02:00:00:00:00:01", "02:00:00:00:00:AB"),
            WIRE.replace("02:00:00:00:00:01", "02-00-00-00-00-0a"),
            WIRE.replace("02:00:00:00:00:01", "02:00:00:00:00"),
            WIRE.replace("02:00:00:00:00:01", "02:00:00:00:00:0g"),
            WIRE.replace("02:00:00:00:00:01", ""),
            WIRE.replace("[\"02:00:00:00:00:01\"]", "[null]"),
            WIRE.replace("[\"02:00:00:00:00:01\"]", "\"02:00:00:00:00:01\""),
            WIRE.replace("198.51.100.10", "2001:DB8::10"),
            WIRE.replace("198.51.100.10", "198.51.100.300"),
            WIRE.replace(",\"ip\":\"198.51.100.10\"", ""),
            WIRE.replace("\"interface\":\"eth0\"", "\"interface\":\"eth0:1\""),
            WIRE.replace(",\"interface\":\"eth0\"", ""),
            WIRE.replace(",\"node\":\"w1\"", ""),
            WIRE.replace("}", ",\"windowMs\":250}"),
            WIRE.replace("}", ",\"windowMs\":0}"),
            WIRE.replace("}", ",\"windowMs\":null}"),
            WIRE.replace("}", ",\"windowMs\":1.5}"),
            LINKS,
            LINKS.replace("02:00:00:00:00:01", "02:00:00:00:00:0A"),
            LINKS.replace("02:00:00:00:00:01", "not-a-mac"),
            LINKS.replace("\"mac\":\"02:00:00:00:00:01\"", "\"mac\":null"),
            LINKS.replace("{\"interface\":\"eth0\",\"mac\"", "{\"mac\""),
            LINKS.replace("[{\"interface\":\"eth0\",\"mac\":\"02:00:00:00:00:01\"}]", "[]"),
            LINKS.replace("[{\"interface\":\"eth0\",\"mac\":\"02:00:00:00:00:01\"}]", "null"),
            LINKS.replace("[{\"interface\":\"eth0\",\"mac\":\"02:00:00:00:00:01\"}]", "[{}]"),
            LINKS.replace("[{\"interface\":\"eth0\",\"mac\":\"02:00:00:00:00:01\"}]", "{}"),
            LINKS.replace("}]", "},{\"interface\":\"eth1\",\"mac\":\"02:00:00:00:00:02\",\"mtu\":1500}]"),
            // names the parser reads in one place, found in another (skipped there), and a very long name
            ADDRESSES.replace("\"type\"", "\"mac\":\"x\",\"kind\":[1],\"prefixLength\":{},\"type\""),
            ADDRESSES.replace("\"interface\":\"eth0\",", "\"interface\":\"eth0\",\"node\":\"n\",\"type\":1,"),
            ADDRESSES.replace("\"type\"", "\"" + "n".repeat(70) + "\":\"x\",\"type\""),
            ADDRESSES.replace("\"type\"", "\"" + "node".repeat(17) + "\":{\"a\":1},\"type\""),
            ADDRESSES.replace("\"cluster\":\"c1\"", "\"cluster\":\"a-cluster-name-of-thirty-bytes\""),
            ADDRESSES.replace("\"cluster\":\"c1\"", "\"cluster\":\"a-cluster-name-of-thirty-bytez\""),
            "{}",
            "[]",
            "{\"type\":\"heartbeat\"",
            "null",
            "{'type':'heartbeat'}",
            "{\"type\":\"heartbeat\",}",
            "{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"
                    + "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]],\"type\":\"heartbeat\",\"cluster\":\"c1\","
                    + "\"observedAt\":\"2026-11-01T00:00:20Z\",\"source\":\"s\"}");

    @Test
    void givesWhatTheJacksonPathGivesForEveryLine() {
        final FastLineParser fast = new FastLineParser();
        for (int round = 0; round < 2; round++) { // the second round from the string cache
            for (final String line : LINES) {
                final byte[] bytes = ("garbage before\n" + line + "\ngarbage after").getBytes(StandardCharsets.UTF_8);
                final int offset = "garbage before\n".length();
                final int length = line.getBytes(StandardCharsets.UTF_8).length;
                assertThat(outcome(() -> fast.parse(bytes, offset, length)))
                        .as(line)
                        .isEqualTo(outcome(() -> LineParser.parse(bytes, offset, length)));
            }
        }
    }

    @Test
    void sharesTheStringsThatRepeatBetweenLines() {
        final FastLineParser fast = new FastLineParser();
        final byte[] line = ADDRESSES.getBytes(StandardCharsets.UTF_8);
        final NodeAddresses one = (NodeAddresses) fast.parse(line, 0, line.length);
        final NodeAddresses two = (NodeAddresses) fast.parse(line.clone(), 0, line.length);

        assertThat(two).isEqualTo(one);
        assertThat(two.cluster()).isSameAs(one.cluster());
        assertThat(two.node()).isSameAs(one.node());
        assertThat(two.source()).isSameAs(one.source());
        assertThat(two.addresses().get(0).ip()).isSameAs(one.addresses().get(0).ip());
        assertThat(two.eventId()).isNotSameAs(one.eventId());
    }

    private static Object outcome(final Supplier<InputEvent> parse) {
        try {
            final InputEvent event = parse.get();
            final List<Object> described = new ArrayList<>();
            described.add(event);
            described.add(event.getClass());
            return described;
        } catch (final IllegalArgumentException e) {
            return "error: " + e.getMessage();
        }
    }
}
