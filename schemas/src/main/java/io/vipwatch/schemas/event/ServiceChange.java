package io.vipwatch.schemas.event;

import java.util.List;
import java.util.Map;

/** A LoadBalancer Service as the API server says it is (UPSERT) or its end (DELETE). */
public record ServiceChange(
        String cluster,
        long observedAt,
        String source,
        String eventId,
        Op op,
        String namespace,
        String name,
        String uid,
        String resourceVersion,
        String serviceType,
        String loadBalancerClass,
        List<String> ingressIps,
        List<String> requestedIps,
        String externalTrafficPolicy,
        Map<String, String> annotations) implements InputEvent {

    public static final String TYPE = "service";

    public enum Op { UPSERT, DELETE }

    public ServiceChange {
        ingressIps = ingressIps == null ? List.of() : List.copyOf(ingressIps);
        requestedIps = requestedIps == null ? List.of() : List.copyOf(requestedIps);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    /** namespace/name. */
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
