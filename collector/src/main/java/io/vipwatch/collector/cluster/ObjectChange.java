package io.vipwatch.collector.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * One informer callback as a value: the object as it now is (UPSERT) or as it was last seen (DELETE).
 * {@code finalStateUnknown}: the deletion was inferred by a relist, so {@code object} may be stale.
 */
record ObjectChange(WatchedResource resource, Op op, HasMetadata object, boolean finalStateUnknown)
        implements ClusterCollector.Work {

    enum Op { UPSERT, DELETE }

    static ObjectChange upsert(final WatchedResource resource, final HasMetadata object) {
        return new ObjectChange(resource, Op.UPSERT, object, false);
    }

    static ObjectChange delete(final WatchedResource resource, final HasMetadata object, final boolean finalStateUnknown) {
        return new ObjectChange(resource, Op.DELETE, object, finalStateUnknown);
    }

    /** namespace/name, or the name of a cluster-scoped object. */
    String objectKey() {
        return Meta.key(object);
    }
}
