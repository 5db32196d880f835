package io.vipwatch.schemas.event;

import java.util.List;

/**
 * A speaker starts (ANNOUNCE) or stops (WITHDRAW) answering for a Service's VIP on a node. The VIP is
 * null where the evidence names none (MetalLB's ServiceL2Status): it is the Service's ingress IPs then.
 */
public record AnnouncementChange(
        String cluster,
        long observedAt,
        String source,
        String eventId,
        Op op,
        String namespace,
        String name,
        Announcer announcer,
        String node,
        String vip,
        List<String> interfaces,
        Evidence evidence) implements InputEvent {

    public static final String TYPE = "announcement";

    public enum Op { ANNOUNCE, WITHDRAW }

    public enum Announcer { METALLB_L2, METALLB_BGP, KUBE_VIP }

    /** Where the announcement was seen. */
    public record Evidence(String kind, String ref, String detail) {
    }

    public AnnouncementChange {
        interfaces = interfaces == null ? List.of() : List.copyOf(interfaces);
    }

    /** namespace/name of the Service. */
    public String service() {
        return namespace + "/" + name;
    }

    @Override
    public String key() {
        return cluster + "/" + namespace + "/" + name;
    }

    @Override
    public String type() {
        return TYPE;
    }
}
