package io.vipwatch.store;

import java.time.Instant;
import java.util.List;

import io.vipwatch.schemas.avro.Alert;
import io.vipwatch.schemas.avro.AlertEvidence;
import io.vipwatch.schemas.avro.AlertKind;
import io.vipwatch.schemas.avro.AlertState;
import io.vipwatch.schemas.avro.Announcer;
import io.vipwatch.schemas.avro.Cause;
import io.vipwatch.schemas.avro.OwnershipChange;
import io.vipwatch.schemas.avro.Severity;
import io.vipwatch.schemas.avro.VipAnnouncement;
import io.vipwatch.schemas.avro.VipBinding;
import io.vipwatch.schemas.avro.VipClaim;
import io.vipwatch.schemas.avro.VipState;

/** Avro records as the streams engine writes them, for tests. */
public final class Fixtures {

    private Fixtures() {
    }

    public static OwnershipChange change(final String cluster, final String ip, final Instant at,
            final List<String> before, final List<String> after, final String service) {
        return OwnershipChange.newBuilder()
                .setEventId("oc-" + cluster + "-" + ip + "-" + at.toEpochMilli())
                .setCluster(cluster)
                .setIp(ip)
                .setAt(at.toEpochMilli())
                .setBefore(before)
                .setAfter(after)
                .setService(service)
                .setCause(Cause.newBuilder().setType("node-addresses").setKey(cluster + "/cp-1")
                        .setEventId("ev-" + at.toEpochMilli()).setSource("agent/cp-1").setObservedAt(at.toEpochMilli())
                        .build())
                .build();
    }

    public static Alert alert(final AlertState state, final AlertKind kind, final String cluster, final String vip,
            final Instant openedAt, final Instant at, final List<String> nodes, final String hint) {
        final String fingerprint = cluster + "/" + vip + "/" + kind;
        final String episode = fingerprint + "@" + openedAt.toEpochMilli();
        return Alert.newBuilder()
                .setEventId(episode + "/" + state + "/" + at.toEpochMilli())
                .setState(state)
                .setKind(kind)
                .setSeverity(kind == AlertKind.FLAPPING || kind == AlertKind.ORPHANED ? Severity.WARNING : Severity.CRITICAL)
                .setCluster(cluster)
                .setVip(vip)
                .setService("default/web")
                .setNodes(nodes)
                .setAt(at.toEpochMilli())
                .setOpenedAt(openedAt.toEpochMilli())
                .setFingerprint(fingerprint)
                .setEpisode(episode)
                .setHint(hint)
                .setEvidence(List.of(AlertEvidence.newBuilder().setKind("binding").setNode("cp-1")
                        .setDetail("198.51.100.10/32 on eth0").setObservedAt(at.toEpochMilli()).setEventId("ev-1").build()))
                .build();
    }

    public static VipState vipState(final String cluster, final String ip, final Instant at, final List<String> responders) {
        return VipState.newBuilder()
                .setCluster(cluster)
                .setIp(ip)
                .setUpdatedAt(at.toEpochMilli())
                .setClaims(List.of(VipClaim.newBuilder().setService("default/web").setMetallb(true).setKubeVip(false)
                        .setSince(at.toEpochMilli()).build()))
                .setAnnouncements(List.of(VipAnnouncement.newBuilder().setNode("worker-1")
                        .setAnnouncer(Announcer.METALLB_L2).setService("default/web").setSince(at.toEpochMilli()).build()))
                .setBindings(List.of(VipBinding.newBuilder().setNode("cp-1").setInterface$("eth0").setPrefixLength(32)
                        .setSince(at.toEpochMilli()).build()))
                .setResponders(responders)
                .setOpenConditions(List.of(AlertKind.FOREIGN_BINDING))
                .setFlapPenalty(1000.0)
                .build();
    }
}
