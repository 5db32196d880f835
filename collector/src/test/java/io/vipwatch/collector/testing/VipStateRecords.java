package io.vipwatch.collector.testing;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.producer.ProducerRecord;

import io.vipwatch.schemas.avro.VipClaim;
import io.vipwatch.schemas.avro.VipState;
import io.vipwatch.schemas.serde.AvroSerdes;

/** Records of {@code vipwatch.vip-state.v1} as the topology writes them, for the prober's VIP set. */
public final class VipStateRecords {

    private VipStateRecords() {
    }

    /** The state of {@code cluster/ip}, with one Service's claim or none. */
    public static ProducerRecord<String, byte[]> state(final String topic, final String cluster, final String ip,
            final boolean claimed) {
        final List<VipClaim> claims = new ArrayList<>();
        if (claimed) {
            claims.add(VipClaim.newBuilder().setService("default/web").setMetallb(true).setSince(1L).build());
        }
        final VipState state = VipState.newBuilder().setCluster(cluster).setIp(ip).setUpdatedAt(1L).setClaims(claims)
                .setAnnouncements(List.of()).setBindings(List.of()).setResponders(List.of()).setOpenConditions(List.of())
                .setFlapPenalty(0).build();
        return new ProducerRecord<>(topic, cluster + "/" + ip, AvroSerdes.vipState().serializer().serialize(topic, state));
    }
}
