package io.vipwatch.streams.internal;

import java.util.ArrayList;
import java.util.List;

import io.vipwatch.schemas.avro.Alert;
import io.vipwatch.schemas.avro.AlertEvidence;
import io.vipwatch.schemas.avro.Cause;
import io.vipwatch.schemas.avro.OwnershipChange;
import io.vipwatch.schemas.avro.VipAnnouncement;
import io.vipwatch.schemas.avro.VipBinding;
import io.vipwatch.schemas.avro.VipClaim;
import io.vipwatch.schemas.avro.VipState;
import io.vipwatch.streams.core.AlertTransition;
import io.vipwatch.streams.core.ResponderChange;
import io.vipwatch.streams.core.VipSnapshot;

/** The core's decisions as the Avro records of the output topics: the one mapper at this edge. */
public final class AvroOutputs {

    private AvroOutputs() {
    }

    public static Alert alert(final AlertTransition a) {
        final List<AlertEvidence> evidence = new ArrayList<>(a.evidence().size());
        for (final AlertTransition.Evidence e : a.evidence()) {
            evidence.add(new AlertEvidence(e.kind(), e.node(), e.detail(), e.observedAt(), e.eventId()));
        }
        return Alert.newBuilder()
                .setEventId(a.eventId()).setState(a.state()).setKind(a.kind()).setSeverity(a.severity())
                .setCluster(a.cluster()).setVip(a.vip()).setService(a.service())
                .setNodes(new ArrayList<>(a.nodes())).setAt(a.at()).setOpenedAt(a.openedAt())
                .setFingerprint(a.fingerprint()).setEpisode(a.episode()).setHint(a.hint())
                .setEvidence(evidence)
                .build();
    }

    public static OwnershipChange ownershipChange(final ResponderChange c) {
        final ResponderChange.Cause cause = c.cause();
        return OwnershipChange.newBuilder()
                .setEventId(c.eventId()).setCluster(c.cluster()).setIp(c.ip()).setAt(c.at())
                .setBefore(new ArrayList<>(c.before())).setAfter(new ArrayList<>(c.after()))
                .setService(c.service())
                .setCause(cause == null
                        ? new Cause("timer", c.cluster() + "/" + c.ip(), null, null, c.at())
                        : new Cause(cause.type(), cause.key(), cause.eventId(), cause.source(), cause.observedAt()))
                .build();
    }

    /** Null for a forgotten VIP (the tombstone). */
    public static VipState vipState(final VipSnapshot s) {
        if (s.deleted()) {
            return null;
        }
        final List<VipClaim> claims = new ArrayList<>(s.claims().size());
        for (final VipSnapshot.Claim c : s.claims()) {
            claims.add(new VipClaim(c.service(), c.metallb(), c.kubeVip(), c.since()));
        }
        final List<VipAnnouncement> announcements = new ArrayList<>(s.announcements().size());
        for (final VipSnapshot.Announcement a : s.announcements()) {
            announcements.add(new VipAnnouncement(a.node(), a.announcer(), a.service(), a.since()));
        }
        final List<VipBinding> bindings = new ArrayList<>(s.bindings().size());
        for (final VipSnapshot.Binding b : s.bindings()) {
            bindings.add(new VipBinding(b.node(), b.iface(), b.prefixLength(), b.since()));
        }
        return VipState.newBuilder()
                .setCluster(s.cluster()).setIp(s.ip()).setUpdatedAt(s.updatedAt())
                .setClaims(claims).setAnnouncements(announcements).setBindings(bindings)
                .setResponders(new ArrayList<>(s.responders()))
                .setOpenConditions(new ArrayList<>(s.openConditions()))
                .setFlapPenalty(s.flapPenalty())
                .build();
    }
}
