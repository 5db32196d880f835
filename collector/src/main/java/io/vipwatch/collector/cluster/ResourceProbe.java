package io.vipwatch.collector.cluster;

import java.net.HttpURLConnection;
import java.util.EnumMap;
import java.util.Map;

import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Finds out once, at start, which watched resources this API server serves and this service account may read, so
 * a missing CRD or a forbidden resource is reported once with what it disables instead of an informer retrying it
 * forever.
 */
final class ResourceProbe {

    /** Whether a resource can be watched, as a value. */
    record Availability(WatchedResource resource, Status status, String detail) {

        enum Status { AVAILABLE, NOT_SERVED, FORBIDDEN }

        boolean available() {
            return status == Status.AVAILABLE;
        }

        /** One log line: what is wrong and what the collector does without it. */
        String describe() {
            return switch (status) {
                case AVAILABLE -> resource.kind() + " (" + resource.qualifiedName() + ") available";
                case NOT_SERVED -> resource.kind() + " (" + resource.qualifiedName() + ") is not served by this API server"
                        + " (" + detail + "): no " + resource.feeds();
                case FORBIDDEN -> resource.kind() + " (" + resource.qualifiedName() + ") may not be listed by this "
                        + "service account (" + detail + "): no " + resource.feeds()
                        + "; grant get/list/watch on it (deploy/kubernetes/rbac.yaml)";
            };
        }
    }

    private final KubernetesClient client;
    private final String kubeVipNamespace;

    ResourceProbe(final KubernetesClient client, final String kubeVipNamespace) {
        this.client = client;
        this.kubeVipNamespace = kubeVipNamespace;
    }

    /**
     * @throws KubernetesClientException when the API server cannot be reached or answers with an unexpected error:
     *         the collector cannot start
     */
    Map<WatchedResource, Availability> probeAll() {
        final Map<WatchedResource, Availability> result = new EnumMap<>(WatchedResource.class);
        for (final WatchedResource resource : WatchedResource.values()) {
            result.put(resource, probe(resource));
        }
        return result;
    }

    Availability probe(final WatchedResource resource) {
        if (resource.customResource()) {
            final APIResourceList served;
            try {
                served = client.getApiResources(resource.apiVersion());
            } catch (final KubernetesClientException e) {
                if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                    return notServed(resource);
                }
                throw e;
            }
            if (served == null || served.getResources() == null || served.getResources().stream()
                    .map(APIResource::getName).noneMatch(resource.plural()::equals)) {
                return notServed(resource);
            }
        }
        try {
            final var operation = client.genericKubernetesResources(resource.context());
            final var options = new ListOptionsBuilder().withLimit(1L).build();
            if (resource == WatchedResource.PODS) {
                operation.inNamespace(kubeVipNamespace).list(options);
            } else {
                operation.inAnyNamespace().list(options);
            }
            return new Availability(resource, Availability.Status.AVAILABLE, null);
        } catch (final KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_FORBIDDEN) {
                return new Availability(resource, Availability.Status.FORBIDDEN, "HTTP 403: " + reason(e));
            }
            if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                return notServed(resource);
            }
            throw e;
        }
    }

    private static Availability notServed(final WatchedResource resource) {
        return new Availability(resource, Availability.Status.NOT_SERVED,
                resource.customResource() ? "no CRD " + resource.qualifiedName() : "HTTP 404");
    }

    private static String reason(final KubernetesClientException e) {
        return e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
    }
}
