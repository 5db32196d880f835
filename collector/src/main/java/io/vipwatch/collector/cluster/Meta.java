package io.vipwatch.collector.cluster;

import java.util.Map;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** Small null-safe readers of Kubernetes object metadata. */
final class Meta {

    private Meta() {
    }

    /** namespace/name, or the name of a cluster-scoped object. */
    static String key(final HasMetadata object) {
        final String namespace = object.getMetadata().getNamespace();
        final String name = object.getMetadata().getName();
        return namespace == null || namespace.isEmpty() ? name : namespace + "/" + name;
    }

    static Map<String, String> labels(final HasMetadata object) {
        final Map<String, String> labels = object.getMetadata().getLabels();
        return labels == null ? Map.of() : labels;
    }

    static Map<String, String> annotations(final HasMetadata object) {
        final Map<String, String> annotations = object.getMetadata().getAnnotations();
        return annotations == null ? Map.of() : annotations;
    }

    static boolean isBlank(final String text) {
        return text == null || text.isBlank();
    }
}
