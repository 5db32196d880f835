package io.vipwatch.streams.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.vipwatch.streams.Scenario;

/**
 * A node agent restarted through the detection core: its first snapshot after the restart replaces the node's
 * last one, so an address removed while it was down stops counting at the restart, and a restart within
 * {@code silence-after} (30 s) raises nothing of its own. The seed conflict: kube-vip on cp-1 (svc_enable=true)
 * binds the VIP that MetalLB announces from worker-1.
 */
class NodeAgentRestartTest {

    private static final String VIP = Scenario.VIP;

    @Test
    void anAddressRemovedWhileTheAgentWasDownStopsCountingAtItsRestart() {
        final Scenario s = conflict();
        agentUp(s, 0, 40);
        // down from 40 s; meanwhile someone removes the VIP from cp-1; back at 60 s with the full current set
        s.at(60).addresses("cp-1", "10.0.0.11/24").heartbeat("agent/cp-1", "cp-1");
        agentUp(s, 70, 200);

        final Recorder out = Recorder.run(DetectionSettings.defaults(), s.at(0).heartbeatsUntil(200).events());

        assertThat(RulesTest.describe(out.alerts)).containsExactly(
                "OPENED FOREIGN_BINDING 27 [cp-1]",
                "RESOLVED FOREIGN_BINDING 75 [cp-1]");
    }

    @Test
    void anAgentDownLongerThanSilenceAfterIsReportedSilentUntilItsRestart() {
        final Scenario s = conflict();
        agentUp(s, 0, 40);
        s.at(90).addresses("cp-1", "10.0.0.11/24").heartbeat("agent/cp-1", "cp-1");
        agentUp(s, 100, 200);

        final Recorder out = Recorder.run(DetectionSettings.defaults(), s.at(0).heartbeatsUntil(200).events());

        assertThat(RulesTest.describe(out.alerts)).containsExactly(
                "OPENED FOREIGN_BINDING 27 [cp-1]",
                "OPENED COLLECTOR_SILENT 70 [cp-1]",
                "RESOLVED COLLECTOR_SILENT 90 [cp-1]",
                "RESOLVED FOREIGN_BINDING 105 [cp-1]");
    }

    /** MetalLB announces the VIP from worker-1; kube-vip binds it on cp-1 at 12 s. worker-1's agent runs throughout. */
    private static Scenario conflict() {
        final Scenario s = Scenario.cluster("c1")
                .at(0).controlPlane("cp-1", true).worker("worker-1")
                .addresses("cp-1", "10.0.0.11/24").addresses("worker-1", "10.0.0.21/24")
                .at(10).metallbService("default/web", VIP).announce("default/web", "worker-1")
                .at(12).addresses("cp-1", "10.0.0.11/24", VIP + "/32");
        for (int t = 0; t <= 200; t += 10) {
            s.at(t).heartbeat("agent/worker-1", "worker-1");
        }
        return s;
    }

    private static void agentUp(final Scenario s, final int from, final int to) {
        for (int t = from; t <= to; t += 10) {
            s.at(t).heartbeat("agent/cp-1", "cp-1");
        }
    }
}
