package io.vipwatch.collector.cluster;

import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;

/**
 * Turns informer callbacks into {@link ObjectChange} values on the collector's queue and does nothing else, so
 * the informer threads never wait on projection or publishing. Resyncs and relists arrive as updates with an
 * unchanged object: the trackers, not this handler, decide that they change nothing.
 */
final class QueueingEventHandler<T extends HasMetadata> implements ResourceEventHandler<T> {

    private static final Logger LOG = LoggerFactory.getLogger(QueueingEventHandler.class);

    private final WatchedResource resource;
    private final Consumer<ObjectChange> queue;

    QueueingEventHandler(final WatchedResource resource, final Consumer<ObjectChange> queue) {
        this.resource = resource;
        this.queue = queue;
    }

    @Override
    public void onAdd(final T object) {
        queue.accept(ObjectChange.upsert(resource, object));
    }

    @Override
    public void onUpdate(final T oldObject, final T newObject) {
        queue.accept(ObjectChange.upsert(resource, newObject));
    }

    @Override
    public void onDelete(final T object, final boolean deletedFinalStateUnknown) {
        if (deletedFinalStateUnknown) {
            LOG.debug("{} {} vanished during a relist; treating its last known state as deleted", resource.kind(),
                    Meta.key(object));
        }
        queue.accept(ObjectChange.delete(resource, object));
    }
}
