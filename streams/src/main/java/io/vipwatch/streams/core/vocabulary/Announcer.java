package io.vipwatch.streams.core.vocabulary;

/**
 * The speaker behind an announcement. The declaration order is part of the core's behaviour: announcements are
 * sorted by it (after node and Service). The state codec stores announcers by explicit stable codes.
 */
public enum Announcer {
    METALLB_L2,
    METALLB_BGP,
    KUBE_VIP
}
