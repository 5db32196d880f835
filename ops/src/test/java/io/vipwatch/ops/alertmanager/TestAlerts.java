package io.vipwatch.ops.alertmanager;

import java.util.List;

import io.vipwatch.schemas.avro.Alert;
import io.vipwatch.schemas.avro.AlertKind;
import io.vipwatch.schemas.avro.AlertState;
import io.vipwatch.schemas.avro.Severity;

/** Alert transitions as the streams role writes them. */
final class TestAlerts {

    private TestAlerts() {
    }

    static Alert foreignBinding(final String cluster, final String vip, final AlertState state, final String episode,
                                final long openedAt, final long at) {
        return Alert.newBuilder()
                .setEventId(episode + "/" + state + "/" + at)
                .setState(state)
                .setKind(AlertKind.FOREIGN_BINDING)
                .setSeverity(Severity.CRITICAL)
                .setCluster(cluster)
                .setVip(vip)
                .setService("default/web")
                .setNodes(List.of("cp-1", "worker-1"))
                .setAt(at)
                .setOpenedAt(openedAt)
                .setFingerprint(cluster + "/" + vip + "/FOREIGN_BINDING")
                .setEpisode(episode)
                .setHint("kube-vip on cp-1 runs with svc_enable=true and binds the VIP; set svc_enable=\"false\"")
                .setEvidence(List.of())
                .build();
    }
}
