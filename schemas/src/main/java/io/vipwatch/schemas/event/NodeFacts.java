package io.vipwatch.schemas.event;

import java.util.List;

/** What the API server says about a node that matters for VIP ownership. */
public record NodeFacts(
        String cluster,
        long observedAt,
        String source,
        String eventId,
        String node,
        List<String> roles,
        boolean excludedFromLoadBalancers,
        Boolean speakerEligible,
        boolean networkUnavailable,
        KubeVip kubeVip,
        boolean deleted) implements InputEvent {

    public static final String TYPE = "node";

    /** kube-vip on the node, from its pod's env; null fields are unknown. */
    public record KubeVip(boolean svcEnable, Boolean cpEnable, String vipInterface, Boolean arp, String pod,
            String image) {
    }

    public NodeFacts {
        roles = roles == null ? List.of() : List.copyOf(roles);
    }

    @Override
    public String key() {
        return cluster + "/" + node;
    }

    @Override
    public String type() {
        return TYPE;
    }
}
