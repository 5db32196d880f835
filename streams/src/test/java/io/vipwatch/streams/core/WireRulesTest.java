package io.vipwatch.streams.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.vipwatch.streams.Scenario;
import io.vipwatch.streams.core.vocabulary.AlertKind;
import io.vipwatch.streams.core.vocabulary.AlertState;

/**
 * The wire rules (docs/detection.md, "Wire truth") as a table like {@link RulesTest}: w1, w2 and w3 with their MACs,
 * default/web claiming the VIP and MetalLB announcing it from w1, probes by w3 (heartbeats to 200 s). Probes every
 * 10 s are fresh for silence-after (30 s).
 */
class WireRulesTest {

    private static final String VIP = Scenario.VIP;
    private static final String W1 = "02:00:00:00:00:01";
    private static final String W2 = "02:00:00:00:00:02";
    private static final String W3 = "02:00:00:00:00:03";
    private static final String STRANGER = "02:00:00:00:00:99";

    static Stream<Arguments> cases() {
        return Stream.of(
                rule("the announcing node's MAC answering is what should be: nothing to say",
                        s -> s.at(20).probesUntil(200, "w3", VIP, W1)),
                rule("a second node answering on the wire is DUPLICATE_RESPONDERS, resolved once its probes are stale",
                        s -> s.at(0).addressesWithMac("w2", W2, "10.0.0.22/24").at(20).probesUntil(100, "w3", VIP, W1, W2),
                        "OPENED DUPLICATE_RESPONDERS 35 [w1, w2]", "RESOLVED DUPLICATE_RESPONDERS 145 [w1, w2]"),
                rule("a MAC of no node answering is UNKNOWN_RESPONDER with no nodes, resolved when it stops",
                        s -> s.at(20).probesUntil(50, "w3", VIP, W1, STRANGER).at(60).probesUntil(200, "w3", VIP, W1),
                        "OPENED UNKNOWN_RESPONDER 35 []", "RESOLVED UNKNOWN_RESPONDER 75 []"),
                rule("UNKNOWN_RESPONDER shorter than grace never opens",
                        s -> s.at(20).wire("w3", VIP, W1, STRANGER).at(30).probesUntil(200, "w3", VIP, W1)),
                rule("a MAC that turns out to be a node's (its links arrive) is a responder, not unknown",
                        s -> s.at(20).probesUntil(200, "w3", VIP, W1, W2).at(25).addressesWithMac("w2", W2, "10.0.0.22/24"),
                        "OPENED DUPLICATE_RESPONDERS 40 [w1, w2]"),
                rule("a node deleted while its MAC still answers is UNKNOWN_RESPONDER",
                        s -> s.at(0).addressesWithMac("w2", W2, "10.0.0.22/24").at(20).probesUntil(200, "w3", VIP, W1, W2)
                                .at(100).deleteNode("w2"),
                        "OPENED DUPLICATE_RESPONDERS 35 [w1, w2]", "RESOLVED DUPLICATE_RESPONDERS 115 [w1, w2]",
                        "OPENED UNKNOWN_RESPONDER 115 []"),
                rule("an announced VIP nobody answers for is WIRE_SILENT, resolved once the probes are stale",
                        s -> s.at(20).probesUntil(100, "w3", VIP),
                        "OPENED WIRE_SILENT 35 [w1]", "RESOLVED WIRE_SILENT 145 [w1]"),
                rule("WIRE_SILENT resolves when the speaker answers again, and a new silence is a new episode",
                        s -> s.at(20).probesUntil(50, "w3", VIP).at(60).probesUntil(90, "w3", VIP, W1)
                                .at(100).probesUntil(200, "w3", VIP),
                        "OPENED WIRE_SILENT 35 [w1]", "RESOLVED WIRE_SILENT 75 [w1]", "OPENED WIRE_SILENT 115 [w1]"),
                rule("silence shorter than grace never opens",
                        s -> s.at(20).wire("w3", VIP).at(30).probesUntil(200, "w3", VIP, W1)),
                rule("a probe by the announcing node itself is no evidence of silence (it does not hear its own answer)",
                        s -> s.at(20).probesUntil(200, "w1", VIP)),
                rule("one prober hearing the speaker is enough: no WIRE_SILENT while another hears nothing",
                        s -> s.at(20).probesUntil(200, "w3", VIP).probesUntil(200, "w2", VIP, W1)),
                rule("a VIP no probe reaches is not judged on the wire",
                        s -> s.at(20).probesUntil(200, "w3", "198.51.100.99", STRANGER)),
                rule("without an L2 speaker there is no WIRE_SILENT (UNANNOUNCED says it)",
                        s -> s.at(20).probesUntil(200, "w3", "198.51.100.20")
                                .at(10).metallbService("default/other", "198.51.100.20"),
                        "OPENED UNANNOUNCED 25 []"));
    }

    private static Arguments rule(final String description, final UnaryOperator<Scenario> build,
            final String... expected) {
        return Arguments.of(description, build, List.of(expected));
    }

    private static Scenario base() {
        return Scenario.cluster("c1")
                .at(0).addressesWithMac("w1", W1, "10.0.0.21/24").addressesWithMac("w3", W3, "10.0.0.23/24")
                .at(10).metallbService("default/web", VIP).at(11).announce("default/web", "w1");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decidesExactlyTheseTransitions(final String description, final UnaryOperator<Scenario> build,
            final List<String> expected) {
        final Scenario scenario = build.apply(base()).at(0).heartbeatsUntil(200);

        final Recorder out = Recorder.run(DetectionSettings.defaults(), scenario.events());

        assertThat(RulesTest.describe(out.alerts)).containsExactlyElementsOf(expected);
    }

    @Test
    void anUnknownResponderIsInTheOwnershipHistoryAsItsMacCausedByTheWire() {
        final Scenario scenario = base().at(20).probesUntil(50, "w3", VIP, W1, STRANGER).at(0).heartbeatsUntil(100);

        final Recorder out = Recorder.run(DetectionSettings.defaults(), scenario.events());

        final OwnershipChange appeared = out.changes.stream().filter(c -> c.after().contains("mac/" + STRANGER))
                .findFirst().orElseThrow();
        assertThat(appeared.before()).containsExactly("w1");
        assertThat(appeared.after()).containsExactly("mac/" + STRANGER, "w1");
        assertThat(appeared.cause().type()).isEqualTo("wire");
        assertThat(appeared.cause().key()).isEqualTo("c1/" + VIP);
        final OwnershipChange gone = out.changes.get(out.changes.size() - 1);
        assertThat(gone.after()).as("the last probe went stale at 80 s").containsExactly("w1");
        assertThat(gone.at()).isEqualTo(Scenario.time(80));
        assertThat(gone.cause().type()).isEqualTo("wire");
    }

    @Test
    void anObservationInTheMillisecondItsVipIsClaimedCountsInEitherOrder() {
        final Scenario probeFirst = Scenario.cluster("c1").at(0).addressesWithMac("w1", W1, "10.0.0.21/24")
                .at(20).wire("w3", VIP, W1, STRANGER).metallbService("default/web", VIP).announce("default/web", "w1")
                .at(30).probesUntil(100, "w3", VIP, W1, STRANGER);
        final Scenario claimFirst = Scenario.cluster("c1").at(0).addressesWithMac("w1", W1, "10.0.0.21/24")
                .at(20).metallbService("default/web", VIP).announce("default/web", "w1").wire("w3", VIP, W1, STRANGER)
                .at(30).probesUntil(100, "w3", VIP, W1, STRANGER);

        final List<String> one = RulesTest.describe(Recorder.run(DetectionSettings.defaults(), probeFirst.events()).alerts);
        final List<String> two = RulesTest.describe(Recorder.run(DetectionSettings.defaults(), claimFirst.events()).alerts);

        assertThat(one).containsExactly("OPENED UNKNOWN_RESPONDER 35 []").isEqualTo(two);
    }

    @Test
    void anIpv6VipIsProbedByNdpAndJudgedTheSame() {
        final String v6 = "2001:db8::10";
        final Scenario scenario = Scenario.cluster("c1").at(0).addressesWithMac("w1", W1, "10.0.0.21/24")
                .at(10).metallbService("default/web", v6).at(11).announce("default/web", "w1")
                .at(20).probesUntil(100, "w3", v6).at(0).heartbeatsUntil(100);

        final Recorder out = Recorder.run(DetectionSettings.defaults(), scenario.events());

        assertThat(RulesTest.describe(out.alerts)).containsExactly("OPENED WIRE_SILENT 35 [w1]");
        assertThat(out.alerts.get(0).hint()).contains("answers NDP for it").contains("probed by w3");
        assertThat(out.alerts.get(0).evidence()).anySatisfy(e -> assertThat(e.detail())
                .isEqualTo("NDP probe for " + v6 + " on eth0: no reply"));
    }

    @Test
    void theWireEvidenceNamesProberInterfaceAndMac() {
        final Scenario scenario = base().at(20).probesUntil(100, "w3", VIP, W1, STRANGER).at(0).heartbeatsUntil(100);

        final Recorder out = Recorder.run(DetectionSettings.defaults(), scenario.events());

        final Alert opened = out.alerts.stream()
                .filter(a -> a.kind() == AlertKind.UNKNOWN_RESPONDER && a.state() == AlertState.OPENED)
                .findFirst().orElseThrow();
        assertThat(opened.nodes()).isEmpty();
        assertThat(opened.hint()).contains(STRANGER).contains("default/web");
        assertThat(opened.evidence()).anySatisfy(e -> {
            assertThat(e.kind()).isEqualTo("wire");
            assertThat(e.node()).isEqualTo("w3");
            assertThat(e.detail()).contains("on eth0").contains(W1 + " (w1)").contains(STRANGER + " (unknown MAC)");
        });
    }
}
