package io.vipwatch.streams.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import io.vipwatch.streams.core.state.Condition;
import io.vipwatch.streams.core.state.NodeRecord;
import io.vipwatch.streams.core.state.SourceRecord;
import io.vipwatch.streams.core.state.VipRecord;
import io.vipwatch.streams.core.vocabulary.AlertKind;
import io.vipwatch.streams.core.vocabulary.AlertState;
import io.vipwatch.streams.core.vocabulary.Announcer;
import io.vipwatch.streams.core.vocabulary.Severity;

/** Builds alert transitions: fingerprints, episodes, deterministic event ids, severities and evidence. */
public final class Alerts {

    private Alerts() {
    }

    /** critical for what breaks traffic now, warning for what will or may. */
    public static Severity severity(final AlertKind kind) {
        return switch (kind) {
            case FOREIGN_BINDING, DUPLICATE_RESPONDERS, UNANNOUNCED, UNKNOWN_RESPONDER, WIRE_SILENT -> Severity.CRITICAL;
            default -> Severity.WARNING;
        };
    }

    /** Stable for (cluster, vip, kind); COLLECTOR_SILENT passes the source as {@code subject}. 16 hex digits. */
    public static String fingerprint(final String cluster, final String subject, final AlertKind kind) {
        try {
            final MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(cluster.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(subject.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(kind.name().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    static String episode(final String fingerprint, final long openedAt) {
        return fingerprint + "-" + openedAt;
    }

    /** Episode, sequence and state: a redelivered transition has the same id. */
    static String eventId(final String episode, final int seq, final AlertState state) {
        return episode + "-" + seq + "-" + state.name().toLowerCase(Locale.ROOT);
    }

    static Alert transition(final AlertState state, final AlertKind kind, final String cluster,
            final String vip, final String subject, final Condition c, final long at,
            final List<Alert.Evidence> evidence) {
        final String fingerprint = fingerprint(cluster, subject, kind);
        final String episode = episode(fingerprint, c.openedAt());
        return new Alert(eventId(episode, c.seq(), state), state, kind, severity(kind), cluster, vip,
                c.service(), c.nodes(), at, c.openedAt(), fingerprint, episode, c.hint(), evidence);
    }

    /** Evidence from a VIP's state: claims, announcements, bindings, the facts of the nodes involved, the penalty. */
    static List<Alert.Evidence> evidence(final VipRecord vip, final AlertKind kind, final List<String> nodes,
            final Function<String, NodeRecord> facts, final double penaltyNow) {
        final List<Alert.Evidence> out = new ArrayList<>();
        for (final VipRecord.Claim c : vip.claims()) {
            out.add(new Alert.Evidence("service", null, c.service() + " claims " + vip.ip()
                    + (c.pool() != null ? " (MetalLB pool " + (c.pool().isEmpty() ? "?" : c.pool()) + ")" : "")
                    + (c.kubeVipMarker() ? " (kube-vip" + (c.vipHost() != null ? " vipHost " + c.vipHost() : "") + ")" : ""),
                    c.since(), c.eventId()));
        }
        for (final VipRecord.Announcement a : vip.announcements()) {
            out.add(new Alert.Evidence("announcement", a.node(), announcer(a.announcer()) + " announces "
                    + vip.ip() + " for " + a.service(), a.since(), a.eventId()));
        }
        for (final VipRecord.Binding b : vip.bindings()) {
            out.add(new Alert.Evidence("binding", b.node(), vip.ip() + "/" + b.prefixLength() + " on "
                    + b.iface(), b.since(), b.eventId()));
        }
        for (final String node : nodes) {
            final NodeRecord n = facts.apply(node);
            if (n != null && n.hasFacts()) {
                final StringBuilder detail = new StringBuilder();
                if (n.kubeVip()) {
                    detail.append("kube-vip svc_enable=").append(n.svcEnable());
                    if (n.kubeVipPod() != null) {
                        detail.append(" (pod ").append(n.kubeVipPod()).append(')');
                    }
                }
                if (n.excluded()) {
                    detail.append(detail.length() > 0 ? "; " : "").append("excluded from external load balancers");
                }
                if (Boolean.FALSE.equals(n.speakerEligible())) {
                    detail.append(detail.length() > 0 ? "; " : "").append("not eligible for the MetalLB speaker");
                }
                if (detail.length() > 0) {
                    out.add(new Alert.Evidence("node", node, detail.toString(), n.factsAt(), n.factsEventId()));
                }
            }
        }
        if (kind == AlertKind.FLAPPING) {
            out.add(new Alert.Evidence("penalty", null, String.format(Locale.ROOT, "flap penalty %.1f",
                    penaltyNow), vip.penaltyAt(), null));
        }
        return out;
    }

    static List<Alert.Evidence> evidence(final SourceRecord source) {
        return List.of(new Alert.Evidence("heartbeat", source.node(), "last heartbeat from " + source.source(),
                source.lastHeartbeat(), source.lastEventId()));
    }

    private static String announcer(final Announcer announcer) {
        return switch (announcer) {
            case METALLB_L2 -> "MetalLB (L2)";
            case METALLB_BGP -> "MetalLB (BGP)";
            case KUBE_VIP -> "kube-vip";
        };
    }
}
