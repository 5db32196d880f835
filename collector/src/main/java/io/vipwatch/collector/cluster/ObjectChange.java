package io.vipwatch.collector.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** One informer callback as a value: the object as it now is (UPSERT) or as it was last seen (DELETE). */
record ObjectChange(WatchedResource resource, Op op, HasMetadata object) implements ClusterCollector.Work {

    enum Op { UPSERT, DELETE }

    static ObjectChange upsert(final WatchedResource resource, final HasMetadata object) {
        return new ObjectChange(resource, Op.UPSERT, object);
    }

    static ObjectChange delete(final WatchedResource resource, final HasMetadata object) {
        return new ObjectChange(resource, Op.DELETE, object);
    }
}
