package io.vipwatch.store;

import java.time.Instant;
import java.util.List;

import io.vipwatch.schemas.Topics;
import io.vipwatch.schemas.avro.AlertKind;
import io.vipwatch.schemas.avro.AlertState;
import io.vipwatch.testkit.KafkaTestCluster;

/**
 * What the streams engine writes for the demo's incident (docs/architecture.md, section 1, the collector's
 * KubeVipConflictScenario): worker-1 answers for 198.51.100.10 from +6 s (MetalLB), kube-vip binds it on
 * cp-1 at +20 s, so both answer until the Service is deleted at +60 s; FOREIGN_BINDING opens after the
 * 15 s grace at +35 s and resolves at +76 s.
 */
public record ConflictScenario(String cluster, Instant start) {

    public static final String VIP = "198.51.100.10";
    public static final String SPEAKER = "worker-1";
    public static final String CONFLICT_NODE = "cp-1";
    public static final String SERVICE = "default/web";
    public static final String HINT = "kube-vip on cp-1 runs with svc_enable=true and binds 198.51.100.10/32 on eth0:"
            + " set svc_enable to \"false\" in its static pod manifest";

    public Instant at(final int seconds) {
        return start.plusSeconds(seconds);
    }

    /** A time inside the conflict. */
    public Instant duringConflict() {
        return at(30);
    }

    /** A time before it, when only the speaker answered. */
    public Instant beforeConflict() {
        return at(10);
    }

    public void send(final KafkaTestCluster kafka, final Topics topics) {
        StoreTesting.sendChanges(kafka, topics, List.of(
                Fixtures.change(cluster, VIP, at(6), List.of(), List.of(SPEAKER), SERVICE),
                Fixtures.change(cluster, VIP, at(20), List.of(SPEAKER), List.of(CONFLICT_NODE, SPEAKER), SERVICE),
                Fixtures.change(cluster, VIP, at(60), List.of(CONFLICT_NODE, SPEAKER), List.of(CONFLICT_NODE), null),
                Fixtures.change(cluster, VIP, at(61), List.of(CONFLICT_NODE), List.of(), null)));
        StoreTesting.sendAlerts(kafka, topics, List.of(
                Fixtures.alert(AlertState.OPENED, AlertKind.FOREIGN_BINDING, cluster, VIP, at(35), at(35),
                        List.of(CONFLICT_NODE, SPEAKER), HINT),
                Fixtures.alert(AlertState.RESOLVED, AlertKind.FOREIGN_BINDING, cluster, VIP, at(35), at(76),
                        List.of(CONFLICT_NODE), HINT)));
    }

    /** How many rows the scenario leaves in ownership_changes and alert_transitions. */
    public static final int CHANGES = 4;
    public static final int TRANSITIONS = 2;
}
