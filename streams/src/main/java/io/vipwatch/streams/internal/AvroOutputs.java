package io.vipwatch.streams.internal;

import java.util.ArrayList;
import java.util.List;

import io.vipwatch.schemas.avro.AlertEvidence;
import io.vipwatch.schemas.avro.Cause;
import io.vipwatch.schemas.avro.VipAnnouncement;
import io.vipwatch.schemas.avro.VipBinding;
import io.vipwatch.schemas.avro.VipClaim;
import io.vipwatch.streams.core.Alert;
import io.vipwatch.streams.core.OwnershipChange;
import io.vipwatch.streams.core.VipState;
import io.vipwatch.streams.core.vocabulary.AlertKind;
import io.vipwatch.streams.core.vocabulary.AlertState;
import io.vipwatch.streams.core.vocabulary.Announcer;
import io.vipwatch.streams.core.vocabulary.Severity;

/**
 * The core's decisions as the Avro records of the output topics: the one mapper at this edge. The core speaks its
 * own vocabulary ({@code core.vocabulary}); each of its enums is mapped here to the wire's enum of the same name,
 * symbol by symbol (a symbol added on one side without the other fails to compile here, not at run time).
 */
public final class AvroOutputs {

    private AvroOutputs() {
    }

    // --- vocabulary

    public static io.vipwatch.schemas.avro.AlertKind kind(final AlertKind kind) {
        return switch (kind) {
            case FOREIGN_BINDING -> io.vipwatch.schemas.avro.AlertKind.FOREIGN_BINDING;
            case DUPLICATE_RESPONDERS -> io.vipwatch.schemas.avro.AlertKind.DUPLICATE_RESPONDERS;
            case EXCLUDED_NODE_OWNER -> io.vipwatch.schemas.avro.AlertKind.EXCLUDED_NODE_OWNER;
            case UNANNOUNCED -> io.vipwatch.schemas.avro.AlertKind.UNANNOUNCED;
            case ORPHANED -> io.vipwatch.schemas.avro.AlertKind.ORPHANED;
            case DUAL_CONTROLLER -> io.vipwatch.schemas.avro.AlertKind.DUAL_CONTROLLER;
            case FLAPPING -> io.vipwatch.schemas.avro.AlertKind.FLAPPING;
            case COLLECTOR_SILENT -> io.vipwatch.schemas.avro.AlertKind.COLLECTOR_SILENT;
            case UNKNOWN_RESPONDER -> io.vipwatch.schemas.avro.AlertKind.UNKNOWN_RESPONDER;
            case WIRE_SILENT -> io.vipwatch.schemas.avro.AlertKind.WIRE_SILENT;
        };
    }

    public static AlertKind kind(final io.vipwatch.schemas.avro.AlertKind kind) {
        return switch (kind) {
            case FOREIGN_BINDING -> AlertKind.FOREIGN_BINDING;
            case DUPLICATE_RESPONDERS -> AlertKind.DUPLICATE_RESPONDERS;
            case EXCLUDED_NODE_OWNER -> AlertKind.EXCLUDED_NODE_OWNER;
            case UNANNOUNCED -> AlertKind.UNANNOUNCED;
            case ORPHANED -> AlertKind.ORPHANED;
            case DUAL_CONTROLLER -> AlertKind.DUAL_CONTROLLER;
            case FLAPPING -> AlertKind.FLAPPING;
            case COLLECTOR_SILENT -> AlertKind.COLLECTOR_SILENT;
            case UNKNOWN_RESPONDER -> AlertKind.UNKNOWN_RESPONDER;
            case WIRE_SILENT -> AlertKind.WIRE_SILENT;
        };
    }

    public static io.vipwatch.schemas.avro.AlertState state(final AlertState state) {
        return switch (state) {
            case OPENED -> io.vipwatch.schemas.avro.AlertState.OPENED;
            case UPDATED -> io.vipwatch.schemas.avro.AlertState.UPDATED;
            case RESOLVED -> io.vipwatch.schemas.avro.AlertState.RESOLVED;
        };
    }

    public static AlertState state(final io.vipwatch.schemas.avro.AlertState state) {
        return switch (state) {
            case OPENED -> AlertState.OPENED;
            case UPDATED -> AlertState.UPDATED;
            case RESOLVED -> AlertState.RESOLVED;
        };
    }

    public static io.vipwatch.schemas.avro.Severity severity(final Severity severity) {
        return switch (severity) {
            case CRITICAL -> io.vipwatch.schemas.avro.Severity.CRITICAL;
            case WARNING -> io.vipwatch.schemas.avro.Severity.WARNING;
        };
    }

    public static Severity severity(final io.vipwatch.schemas.avro.Severity severity) {
        return switch (severity) {
            case CRITICAL -> Severity.CRITICAL;
            case WARNING -> Severity.WARNING;
        };
    }

    public static io.vipwatch.schemas.avro.Announcer announcer(final Announcer announcer) {
        return switch (announcer) {
            case METALLB_L2 -> io.vipwatch.schemas.avro.Announcer.METALLB_L2;
            case METALLB_BGP -> io.vipwatch.schemas.avro.Announcer.METALLB_BGP;
            case KUBE_VIP -> io.vipwatch.schemas.avro.Announcer.KUBE_VIP;
        };
    }

    // --- records

    public static io.vipwatch.schemas.avro.Alert alert(final Alert a) {
        final List<AlertEvidence> evidence = new ArrayList<>(a.evidence().size());
        for (final Alert.Evidence e : a.evidence()) {
            evidence.add(new AlertEvidence(e.kind(), e.node(), e.detail(), e.observedAt(), e.eventId()));
        }
        return io.vipwatch.schemas.avro.Alert.newBuilder()
                .setEventId(a.eventId()).setState(state(a.state())).setKind(kind(a.kind()))
                .setSeverity(severity(a.severity()))
                .setCluster(a.cluster()).setVip(a.vip()).setService(a.service())
                .setNodes(new ArrayList<>(a.nodes())).setAt(a.at()).setOpenedAt(a.openedAt())
                .setFingerprint(a.fingerprint()).setEpisode(a.episode()).setHint(a.hint())
                .setEvidence(evidence)
                .build();
    }

    /**
     * An alert consumed from {@code vipwatch.alerts.v1} as the core's transition (e.g. to print it as
     * {@link io.vipwatch.streams.core.AlertJson} does for analyze).
     */
    public static Alert transition(final io.vipwatch.schemas.avro.Alert a) {
        final List<Alert.Evidence> evidence = new ArrayList<>(a.getEvidence().size());
        for (final AlertEvidence e : a.getEvidence()) {
            evidence.add(new Alert.Evidence(e.getKind(), e.getNode(), e.getDetail(), e.getObservedAt(),
                    e.getEventId()));
        }
        return new Alert(a.getEventId(), state(a.getState()), kind(a.getKind()), severity(a.getSeverity()),
                a.getCluster(), a.getVip(), a.getService(), a.getNodes(), a.getAt(), a.getOpenedAt(),
                a.getFingerprint(), a.getEpisode(), a.getHint(), evidence);
    }

    public static io.vipwatch.schemas.avro.OwnershipChange ownershipChange(final OwnershipChange c) {
        final OwnershipChange.Cause cause = c.cause();
        return io.vipwatch.schemas.avro.OwnershipChange.newBuilder()
                .setEventId(c.eventId()).setCluster(c.cluster()).setIp(c.ip()).setAt(c.at())
                .setBefore(new ArrayList<>(c.before())).setAfter(new ArrayList<>(c.after()))
                .setService(c.service())
                .setCause(cause == null
                        ? new Cause("timer", c.cluster() + "/" + c.ip(), null, null, c.at())
                        : new Cause(cause.type(), cause.key(), cause.eventId(), cause.source(), cause.observedAt()))
                .build();
    }

    private static List<io.vipwatch.schemas.avro.AlertKind> openConditions(final List<AlertKind> kinds) {
        final List<io.vipwatch.schemas.avro.AlertKind> out = new ArrayList<>(kinds.size());
        for (final AlertKind kind : kinds) {
            out.add(kind(kind));
        }
        return out;
    }

    /** Null for a forgotten VIP (the tombstone). */
    public static io.vipwatch.schemas.avro.VipState vipState(final VipState s) {
        if (s.deleted()) {
            return null;
        }
        final List<VipClaim> claims = new ArrayList<>(s.claims().size());
        for (final VipState.Claim c : s.claims()) {
            claims.add(new VipClaim(c.service(), c.metallb(), c.kubeVip(), c.since()));
        }
        final List<VipAnnouncement> announcements = new ArrayList<>(s.announcements().size());
        for (final VipState.Announcement a : s.announcements()) {
            announcements.add(new VipAnnouncement(a.node(), announcer(a.announcer()), a.service(), a.since()));
        }
        final List<VipBinding> bindings = new ArrayList<>(s.bindings().size());
        for (final VipState.Binding b : s.bindings()) {
            bindings.add(new VipBinding(b.node(), b.iface(), b.prefixLength(), b.since()));
        }
        return io.vipwatch.schemas.avro.VipState.newBuilder()
                .setCluster(s.cluster()).setIp(s.ip()).setUpdatedAt(s.updatedAt())
                .setClaims(claims).setAnnouncements(announcements).setBindings(bindings)
                .setResponders(new ArrayList<>(s.responders()))
                .setOpenConditions(openConditions(s.openConditions()))
                .setFlapPenalty(s.flapPenalty())
                .build();
    }
}
