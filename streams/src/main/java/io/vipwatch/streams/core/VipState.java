package io.vipwatch.streams.core;

import java.util.List;

import io.vipwatch.streams.core.vocabulary.AlertKind;
import io.vipwatch.streams.core.vocabulary.Announcer;

/**
 * Everything known about one VIP after a change; null-free lists, sorted. A VIP that is forgotten
 * (nothing claims, announces or binds it any more and its penalty has decayed) is reported as deleted.
 */
public record VipState(
        String cluster,
        String ip,
        long updatedAt,
        boolean deleted,
        List<Claim> claims,
        List<Announcement> announcements,
        List<Binding> bindings,
        List<String> responders,
        List<AlertKind> openConditions,
        double flapPenalty) {

    /** A Service whose ingress holds the IP, and which controller shows through. */
    public record Claim(String service, boolean metallb, boolean kubeVip, long since) {
    }

    /** A speaker announcing the IP from a node. */
    public record Announcement(String node, Announcer announcer, String service, long since) {
    }

    /** The IP as an address on a node's interface. */
    public record Binding(String node, String iface, int prefixLength, long since) {
    }
}
