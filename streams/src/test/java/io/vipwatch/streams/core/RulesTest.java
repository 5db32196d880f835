package io.vipwatch.streams.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.vipwatch.schemas.event.AnnouncementChange;
import io.vipwatch.streams.Scenario;

/**
 * Every rule, its grace and its precedence, as a table: a scenario (heartbeats run to 200 s) and the exact
 * alert transitions it must give, as "STATE KIND at-seconds [nodes]".
 */
class RulesTest {

    private static final String VIP = Scenario.VIP;
    private static final Map<String, String> KUBE_VIP_ON_CP2 = Map.of("kube-vip.io/vipHost", "cp-2");

    static Stream<Arguments> cases() {
        return Stream.of(
                rule("FOREIGN_BINDING opens at bind + grace and resolves at unbind + grace",
                        s -> s.at(10).metallbService("default/web", VIP).at(11).announce("default/web", "worker-1")
                                .at(20).addresses("cp-1", VIP + "/32").at(100).addresses("cp-1"),
                        "OPENED FOREIGN_BINDING 35 [cp-1]", "RESOLVED FOREIGN_BINDING 115 [cp-1]"),
                rule("FOREIGN_BINDING shorter than grace never opens",
                        s -> s.at(10).metallbService("default/web", VIP).at(11).announce("default/web", "worker-1")
                                .at(20).addresses("cp-1", VIP + "/32").at(34.999).addresses("cp-1")),
                rule("FOREIGN_BINDING gone for less than grace does not resolve (three responder changes in a minute flap)",
                        s -> s.at(10).metallbService("default/web", VIP).at(11).announce("default/web", "worker-1")
                                .at(20).addresses("cp-1", VIP + "/32").at(60).addresses("cp-1")
                                .at(70).addresses("cp-1", VIP + "/32"),
                        "OPENED FOREIGN_BINDING 35 [cp-1]", "OPENED FLAPPING 72 [cp-1, worker-1]"),
                rule("FOREIGN_BINDING is UPDATED when a second node binds the IP",
                        s -> s.at(10).metallbService("default/web", VIP).at(11).announce("default/web", "worker-1")
                                .at(20).addresses("cp-1", VIP + "/32").at(50).addresses("cp-2", VIP + "/32"),
                        "OPENED FOREIGN_BINDING 35 [cp-1]", "UPDATED FOREIGN_BINDING 50 [cp-1, cp-2]"),
                rule("a kube-vip-only Service bound on its vipHost is fine, elsewhere it is FOREIGN_BINDING",
                        s -> s.at(10).service("default/kv", "kube-vip.io/kube-vip-class", KUBE_VIP_ON_CP2, VIP)
                                .at(11).addresses("cp-2", VIP + "/32").at(30).addresses("cp-1", VIP + "/32"),
                        "OPENED FOREIGN_BINDING 45 [cp-1]"),
                rule("two speakers answering is DUPLICATE_RESPONDERS",
                        s -> s.at(10).metallbService("default/web", VIP).at(11).announce("default/web", "worker-1")
                                .at(20).announce("default/web", "worker-2").at(80).withdraw("default/web", "worker-1"),
                        "OPENED DUPLICATE_RESPONDERS 35 [worker-1, worker-2]",
                        "RESOLVED DUPLICATE_RESPONDERS 95 [worker-1, worker-2]"),
                rule("a binding behind the second responder is FOREIGN_BINDING alone, not DUPLICATE_RESPONDERS",
                        s -> s.at(10).metallbService("default/web", VIP).at(11).announce("default/web", "worker-1")
                                .at(20).announcement(AnnouncementChange.Op.ANNOUNCE, "default/web",
                                        AnnouncementChange.Announcer.KUBE_VIP, "cp-1", VIP)
                                .addresses("cp-1", VIP + "/32"),
                        "OPENED FOREIGN_BINDING 35 [cp-1]"),
                rule("announcing from a node excluded from load balancers is EXCLUDED_NODE_OWNER",
                        s -> s.at(0).controlPlane("cp-1", false).at(10).metallbService("default/web", VIP)
                                .at(11).announce("default/web", "cp-1"),
                        "OPENED EXCLUDED_NODE_OWNER 26 [cp-1]"),
                rule("a node that is foreign-bound is named by FOREIGN_BINDING only, not EXCLUDED_NODE_OWNER",
                        s -> s.at(0).controlPlane("cp-1", true).at(10).metallbService("default/web", VIP)
                                .at(11).announce("default/web", "worker-1")
                                .at(20).announcement(AnnouncementChange.Op.ANNOUNCE, "default/web",
                                        AnnouncementChange.Announcer.KUBE_VIP, "cp-1", VIP)
                                .addresses("cp-1", VIP + "/32"),
                        "OPENED FOREIGN_BINDING 35 [cp-1]"),
                rule("a claimed IP nobody answers for is UNANNOUNCED until a speaker announces it",
                        s -> s.at(10).metallbService("default/web", VIP).at(40).announce("default/web", "worker-1"),
                        "OPENED UNANNOUNCED 25 []", "RESOLVED UNANNOUNCED 55 []"),
                rule("a speaker announcing an IP no Service claims is ORPHANED",
                        s -> s.at(10).announcement(AnnouncementChange.Op.ANNOUNCE, "default/gone",
                                AnnouncementChange.Announcer.METALLB_L2, "worker-1", VIP),
                        "OPENED ORPHANED 25 [worker-1]"),
                rule("an IP that stays bound after its Service released it is ORPHANED",
                        s -> s.at(10).service("default/kv", "kube-vip.io/kube-vip-class", KUBE_VIP_ON_CP2, VIP)
                                .at(11).addresses("cp-2", VIP + "/32").at(30).deleteService("default/kv"),
                        "OPENED ORPHANED 45 [cp-2]"),
                rule("a node's own addresses are not VIPs and never alert",
                        s -> s.at(10).addresses("cp-1", "10.0.0.11/24", "192.0.2.7/32")
                                .at(20).addresses("cp-1", "10.0.0.11/24").at(30).addresses("cp-2", "192.0.2.7/32")),
                rule("MetalLB allocation plus a kube-vip vipHost is DUAL_CONTROLLER",
                        s -> s.at(10).service("default/web", null, Map.of(Scenario.POOL, "pool-a",
                                "kube-vip.io/vipHost", "cp-1"), VIP).at(11).announce("default/web", "worker-1"),
                        "OPENED DUAL_CONTROLLER 25 [cp-1]"),
                rule("DUAL_CONTROLLER stays quiet while FOREIGN_BINDING holds for the Service's VIP",
                        s -> s.at(10).service("default/web", null, Map.of(Scenario.POOL, "pool-a",
                                "kube-vip.io/vipHost", "cp-1"), VIP).at(11).announce("default/web", "worker-1")
                                .addresses("cp-1", VIP + "/32"),
                        "OPENED FOREIGN_BINDING 26 [cp-1]"),
                rule("a collector that stops sending heartbeats is COLLECTOR_SILENT until its next one",
                        s -> s.at(0).heartbeat("agent/cp-1", "cp-1").at(10).heartbeat("agent/cp-1", "cp-1")
                                .at(100).heartbeat("agent/cp-1", "cp-1"),
                        "OPENED COLLECTOR_SILENT 40 [cp-1]", "RESOLVED COLLECTOR_SILENT 100 [cp-1]",
                        "OPENED COLLECTOR_SILENT 130 [cp-1]"),
                rule("a heartbeat exactly at silence-after keeps the source trusted",
                        s -> s.at(0).heartbeat("agent/cp-1", "cp-1").at(30).heartbeat("agent/cp-1", "cp-1")
                                .at(60).heartbeat("agent/cp-1", "cp-1"),
                        "OPENED COLLECTOR_SILENT 90 [cp-1]"),
                rule("a deleted node's agent is no longer judged",
                        s -> s.at(0).heartbeat("agent/cp-1", "cp-1").at(20).deleteNode("cp-1")));
    }

    private static Arguments rule(final String description, final UnaryOperator<Scenario> build,
            final String... expected) {
        return Arguments.of(description, build, List.of(expected));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decidesExactlyTheseTransitions(final String description, final UnaryOperator<Scenario> build,
            final List<String> expected) {
        final Scenario scenario = build.apply(Scenario.cluster("c1")).at(0).heartbeatsUntil(200);

        final Recorder out = Recorder.run(DetectionSettings.defaults(), scenario.events());

        assertThat(describe(out.alerts)).containsExactlyElementsOf(expected);
    }

    static List<String> describe(final List<Alert> alerts) {
        final List<String> out = new ArrayList<>();
        for (final Alert a : alerts) {
            final double seconds = (a.at() - Scenario.T0) / 1000.0;
            out.add(a.state() + " " + a.kind() + " " + (seconds == Math.rint(seconds) ? String.valueOf((long) seconds)
                    : String.valueOf(seconds)) + " " + a.nodes());
        }
        return out;
    }
}
