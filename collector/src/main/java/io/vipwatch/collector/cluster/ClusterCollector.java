package io.vipwatch.collector.cluster;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.vipwatch.collector.cluster.ResourceProbe.Availability;
import io.vipwatch.collector.publish.EventSink;
import io.vipwatch.collector.publish.Provenance;

/**
 * The API collector of one cluster ({@code vipwatch collect}): fabric8 informers on the {@link WatchedResource}s put
 * every callback on one queue; one thread takes them in order, projects them onto vipwatch's input events (see
 * {@link ClusterProjector}) and publishes heartbeats between them. Only that thread touches the projection state.
 *
 * <p>Start-up probes each resource once: a missing CRD or a forbidden resource is logged with what it disables and
 * not watched. Without the ServiceL2Status or ServiceBGPStatus CRD, the speaker's Events stand in. A heartbeat is
 * published only while every informer is watching, so a collector cut off from its API server goes silent instead
 * of vouching for a picture it cannot see. A failed publish stops the collector (the process exits, is restarted,
 * and publishes its full state again): it never carries on with a gap.
 */
public final class ClusterCollector implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterCollector.class);

    /** Counters for logs and tests. */
    public record Stats(long changesApplied, long heartbeats, long relists) {
    }

    private final KubernetesClient client;
    private final CollectorConfig config;
    private final EventSink sink;
    private final Provenance provenance;
    private final BlockingQueue<ObjectChange> queue = new LinkedBlockingQueue<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicLong changesApplied = new AtomicLong();
    private final AtomicLong heartbeats = new AtomicLong();
    private final AtomicLong relists = new AtomicLong();

    // watched resource -> its running informer; replaced as a whole on relist
    private final Map<WatchedResource, SharedIndexInformer<? extends HasMetadata>> informers =
            new EnumMap<>(WatchedResource.class);
    private Map<WatchedResource, Availability> availability = Map.of();
    private Thread worker;
    private volatile boolean running;

    public ClusterCollector(final KubernetesClient client, final CollectorConfig config, final EventSink sink,
            final Provenance provenance) {
        this.client = client;
        this.config = config;
        this.sink = sink;
        this.provenance = provenance;
    }

    /**
     * Probes the resources, starts the informers and the worker thread, and waits up to {@code syncTimeoutMs} for
     * the informers' first lists.
     *
     * @throws io.fabric8.kubernetes.client.KubernetesClientException when the API server cannot be reached
     */
    public void start(final long syncTimeoutMs) {
        final List<CompletableFuture<Void>> synced = new ArrayList<>();
        synchronized (this) {
            if (running) {
                throw new IllegalStateException("already started");
            }
            availability = new ResourceProbe(client, config.kubeVipNamespace()).probeAll();
            final Set<WatchedResource> fallbacks = EnumSet.noneOf(WatchedResource.class);
            for (final WatchedResource statuses : List.of(WatchedResource.SERVICE_L2_STATUSES,
                    WatchedResource.SERVICE_BGP_STATUSES)) {
                if (!availability.get(statuses).available()) {
                    fallbacks.add(statuses);
                }
            }
            for (final Availability a : availability.values()) {
                if (!a.available() && (a.resource() != WatchedResource.EVENTS || !fallbacks.isEmpty())) {
                    LOG.warn("{}{}", a.describe(), fallbacks.contains(a.resource())
                            ? "; reading the speaker's nodeAssigned Events instead" : "");
                }
            }
            final ClusterProjector projector = new ClusterProjector(provenance, sink, fallbacks);
            running = true;
            worker = new Thread(() -> work(projector), "vipwatch-collector-" + provenance.cluster());
            worker.setDaemon(true);
            worker.start();
            for (final WatchedResource resource : WatchedResource.values()) {
                if (availability.get(resource).available()
                        && (resource != WatchedResource.EVENTS || !fallbacks.isEmpty())) {
                    synced.add(newInformer(resource).start().toCompletableFuture());
                }
            }
        }
        awaitSync(synced, syncTimeoutMs);
        LOG.info("collecting cluster {} as {}: watching {}", provenance.cluster(), provenance.source(),
                watching().stream().map(WatchedResource::qualifiedName).collect(Collectors.joining(", ")));
    }

    /** Which resources could be watched, as found at start. */
    public Map<WatchedResource, Availability> availability() {
        return availability;
    }

    /** The resources being watched. */
    public synchronized Set<WatchedResource> watching() {
        return informers.isEmpty() ? EnumSet.noneOf(WatchedResource.class) : EnumSet.copyOf(informers.keySet());
    }

    public Stats stats() {
        return new Stats(changesApplied.get(), heartbeats.get(), relists.get());
    }

    /**
     * Lists every watched resource from the API server again, as a restarted collector would, but keeping what was
     * published: fresh informers re-deliver every object (unchanged ones publish nothing), and an object that was
     * known before but is missing from the new list was deleted unseen; it is applied as a deletion. The future
     * completes when every new list is in.
     */
    public CompletableFuture<Void> relist() {
        return relist(() -> { });
    }

    /** {@link #relist()}, running {@code whileStopped} after the old informers stopped and before the new start. */
    synchronized CompletableFuture<Void> relist(final Runnable whileStopped) {
        final Map<WatchedResource, List<? extends HasMetadata>> known = new EnumMap<>(WatchedResource.class);
        for (final Map.Entry<WatchedResource, SharedIndexInformer<? extends HasMetadata>> entry : informers.entrySet()) {
            known.put(entry.getKey(), entry.getValue().getStore().list());
            entry.getValue().stop();
        }
        informers.clear();
        whileStopped.run();
        final List<CompletableFuture<Void>> synced = new ArrayList<>();
        for (final Map.Entry<WatchedResource, List<? extends HasMetadata>> entry : known.entrySet()) {
            final WatchedResource resource = entry.getKey();
            final SharedIndexInformer<? extends HasMetadata> informer = newInformer(resource);
            synced.add(informer.start().toCompletableFuture().thenRun(() -> {
                final Set<String> listed = informer.getStore().list().stream().map(Meta::key).collect(Collectors.toSet());
                for (final HasMetadata before : entry.getValue()) {
                    if (!listed.contains(Meta.key(before))) {
                        queue.add(ObjectChange.delete(resource, before, true));
                    }
                }
            }));
        }
        relists.incrementAndGet();
        return CompletableFuture.allOf(synced.toArray(CompletableFuture[]::new));
    }

    /** Blocks until the collector stops; rethrows what stopped it, if it failed. */
    public void awaitTermination() throws InterruptedException {
        stopped.await();
        final Throwable error = failure.get();
        if (error != null) {
            throw new IllegalStateException("the collector stopped: " + error.getMessage(), error);
        }
    }

    @Override
    public void close() {
        final List<SharedIndexInformer<? extends HasMetadata>> toStop;
        synchronized (this) {
            running = false;
            toStop = new ArrayList<>(informers.values());
            informers.clear();
        }
        toStop.forEach(SharedIndexInformer::stop);
        if (worker != null) {
            worker.interrupt();
            try {
                worker.join(5_000);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        stopped.countDown();
    }

    /** Creates, registers and returns the informer of a resource; the caller starts it. */
    private SharedIndexInformer<? extends HasMetadata> newInformer(final WatchedResource resource) {
        final SharedIndexInformer<? extends HasMetadata> informer = informable(resource)
                .runnableInformer(config.resyncInterval().toMillis());
        informer.addEventHandler(new QueueingEventHandler<>(resource, queue));
        informer.exceptionHandler((isStarted, error) -> {
            LOG.warn("watching {} failed ({}); the informer retries with backoff", resource.qualifiedName(),
                    String.valueOf(error));
            return isStarted;
        });
        informers.put(resource, informer);
        return informer;
    }

    private Informable<? extends HasMetadata> informable(final WatchedResource resource) {
        return switch (resource) {
            case SERVICES -> client.services().inAnyNamespace();
            case NODES -> client.nodes();
            case PODS -> client.pods().inNamespace(config.kubeVipNamespace());
            // the field selector keeps the cluster's whole event stream out of the collector's cache
            case EVENTS -> client.v1().events().inAnyNamespace().withFields(config.eventFields());
            // node heartbeat Leases come along (one per node, renewed every 10 s) and are dropped by name: the
            // fabric8 mock API server cannot filter with metadata.namespace!=, so the filter stays testable here
            case LEASES -> client.leases().inAnyNamespace();
            case SERVICE_L2_STATUSES, SERVICE_BGP_STATUSES ->
                client.genericKubernetesResources(resource.context()).inAnyNamespace();
        };
    }

    private static void awaitSync(final List<CompletableFuture<Void>> synced, final long timeoutMs) {
        try {
            CompletableFuture.allOf(synced.toArray(CompletableFuture[]::new)).get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (final Exception e) {
            LOG.warn("not every informer finished its first list within {} ms ({}); carrying on, heartbeats wait "
                    + "until all are watching", timeoutMs, String.valueOf(e.getCause() == null ? e : e.getCause()));
        }
    }

    private void work(final ClusterProjector projector) {
        final long intervalNanos = config.heartbeatInterval().toNanos();
        final long relistNanos = config.relistInterval().toNanos();
        long nextHeartbeat = System.nanoTime();
        long nextRelist = relistNanos == 0 ? Long.MAX_VALUE : System.nanoTime() + relistNanos;
        boolean reportedNotWatching = false;
        try {
            while (running) {
                final long wait = Math.max(0, nextHeartbeat - System.nanoTime());
                final ObjectChange change = queue.poll(wait, TimeUnit.NANOSECONDS);
                if (change != null) {
                    projector.apply(change);
                    changesApplied.incrementAndGet();
                }
                final long now = System.nanoTime();
                if (now - nextHeartbeat >= 0) {
                    nextHeartbeat = now + intervalNanos;
                    final List<WatchedResource> notWatching = notWatching();
                    if (notWatching.isEmpty()) {
                        sink.publish(provenance.heartbeat(null, config.heartbeatInterval().toMillis()));
                        heartbeats.incrementAndGet();
                        if (reportedNotWatching) {
                            LOG.info("every informer is watching again; heartbeats resume");
                            reportedNotWatching = false;
                        }
                    } else if (!reportedNotWatching) {
                        LOG.warn("no heartbeat while not watching {}", notWatching);
                        reportedNotWatching = true;
                    }
                }
                if (now - nextRelist >= 0) {
                    nextRelist = now + relistNanos;
                    relist();
                }
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (final RuntimeException e) {
            LOG.error("the collector stops: {}", e.toString(), e);
            failure.compareAndSet(null, e);
            running = false;
            stopped.countDown();
        }
    }

    private synchronized List<WatchedResource> notWatching() {
        return informers.entrySet().stream().filter(e -> !e.getValue().isWatching()).map(Map.Entry::getKey).toList();
    }
}
