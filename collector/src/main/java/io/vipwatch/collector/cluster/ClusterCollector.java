package io.vipwatch.collector.cluster;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
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
import io.vipwatch.collector.publish.PublicationMemory;
import io.vipwatch.collector.publish.PublishedState;
import io.vipwatch.schemas.event.InputEvent;

/**
 * The API collector of one cluster ({@code vipwatch collect}): fabric8 informers on the {@link WatchedResource}s put
 * every callback on one queue; one thread takes them in order, projects them onto vipwatch's input events (see
 * {@link ClusterProjector}) and publishes heartbeats between them. Only that thread touches the projection state.
 *
 * <p>Start-up probes each resource once: a missing CRD or a forbidden resource is logged with what it disables and
 * not watched. Without the ServiceL2Status or ServiceBGPStatus CRD, the speaker's Events stand in. A heartbeat is
 * published only while every informer is watching, so a collector cut off from its API server goes silent instead
 * of vouching for a picture it cannot see. A failed publish stops the collector (the process exits and is
 * restarted): it never carries on with a gap.
 *
 * <p>Every (re)list — the start, and every {@code relistInterval} — is reconciled with what was published before
 * ({@link ReconcilingSink}): the collector remembers what it published ({@link PublicationMemory}: a Kafka topic or
 * a state file), holds its events back until every informer has listed and every listed object was applied, and
 * then publishes the difference, deletions included. A restarted collector thus publishes what it would have
 * published had it watched the whole time, and nothing for what is unchanged.
 */
public final class ClusterCollector implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterCollector.class);

    /** Counters for logs and tests. */
    public record Stats(long changesApplied, long heartbeats, long relists) {
    }

    /** What the worker takes from its queue: informer callbacks and the progress of a (re)list. */
    interface Work {
    }

    /** A (re)list begins: from here, events are held back until each of {@code resources} has been listed. */
    private record ListingStarted(long round, Set<WatchedResource> resources) implements Work {
    }

    /** A resource's informer has listed; every key in {@code keys} has been, or is about to be, delivered. */
    private record Listed(long round, WatchedResource resource, Set<String> keys) implements Work {
    }

    /** A resource's informer could not list: the collector stops rather than publish a partial picture. */
    private record ListingFailed(long round, WatchedResource resource, Throwable error) implements Work {
    }

    private final KubernetesClient client;
    private final CollectorSettings config;
    private final EventSink sink;
    private final Provenance provenance;
    private final PublicationMemory memory;
    private final ReconcilingSink reconciling;
    private final BlockingQueue<Work> queue = new LinkedBlockingQueue<>();
    private final AtomicLong rounds = new AtomicLong();
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
    private boolean checkpointedOnClose; // guarded by this

    /** A collector without memory: a start publishes everything listed, nothing that vanished before it. */
    public ClusterCollector(final KubernetesClient client, final CollectorSettings config, final EventSink sink,
            final Provenance provenance) {
        this(client, config, sink, provenance, PublicationMemory.NONE);
    }

    public ClusterCollector(final KubernetesClient client, final CollectorSettings config, final EventSink sink,
            final Provenance provenance, final PublicationMemory memory) {
        this.client = client;
        this.config = config;
        this.sink = sink;
        this.provenance = provenance;
        this.memory = memory;
        this.reconciling = new ReconcilingSink(sink, provenance, memory);
    }

    /**
     * Reads the memory, probes the resources, starts the informers and the worker thread, and waits up to
     * {@code syncTimeoutMs} for the informers' first lists.
     *
     * @throws io.fabric8.kubernetes.client.KubernetesClientException when the API server cannot be reached
     * @throws IllegalStateException naming the topic or file when the memory cannot be read
     */
    public void start(final long syncTimeoutMs) {
        final List<CompletableFuture<Void>> synced = new ArrayList<>();
        synchronized (this) {
            if (running) {
                throw new IllegalStateException("already started");
            }
            final List<InputEvent> remembered = memory.load();
            LOG.info("{} remembers {} published objects of cluster {}", memory.describe(), remembered.size(),
                    provenance.cluster());
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
            final ClusterProjector projector = new ClusterProjector(provenance, reconciling, fallbacks);
            reconciling.remember(remembered);
            for (final InputEvent event : remembered) {
                if (projector.restore(event)) {
                    reconciling.believe(event);
                }
            }
            final Set<WatchedResource> resources = EnumSet.noneOf(WatchedResource.class);
            for (final WatchedResource resource : WatchedResource.values()) {
                if (availability.get(resource).available()
                        && (resource != WatchedResource.EVENTS || !fallbacks.isEmpty())) {
                    resources.add(resource);
                }
            }
            final long round = rounds.incrementAndGet();
            queue.add(new ListingStarted(round, resources));
            running = true;
            worker = new Thread(() -> work(projector), "vipwatch-collector-" + provenance.cluster());
            worker.setDaemon(true);
            worker.start();
            for (final WatchedResource resource : resources) {
                synced.add(list(round, resource, List.of()));
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

    /** True while {@code resource}'s informer runs, has listed and its watch is open (what the watch gauge shows). */
    public synchronized boolean isWatching(final WatchedResource resource) {
        final SharedIndexInformer<? extends HasMetadata> informer = informers.get(resource);
        return informer != null && informer.hasSynced() && informer.isWatching();
    }

    public Stats stats() {
        return new Stats(changesApplied.get(), heartbeats.get(), relists.get());
    }

    /**
     * Lists every watched resource from the API server again, as a restarted collector would, but keeping what was
     * published: fresh informers re-deliver every object (unchanged ones publish nothing), and an object that was
     * known before but is missing from the new list was deleted unseen; it is applied as a deletion. Events are held
     * back meanwhile and reconciled at the end (see {@link ReconcilingSink}). The future completes when every new
     * list is in.
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
        final long round = rounds.incrementAndGet();
        queue.add(new ListingStarted(round, known.isEmpty() ? EnumSet.noneOf(WatchedResource.class)
                : EnumSet.copyOf(known.keySet())));
        final List<CompletableFuture<Void>> synced = new ArrayList<>();
        for (final Map.Entry<WatchedResource, List<? extends HasMetadata>> entry : known.entrySet()) {
            synced.add(list(round, entry.getKey(), entry.getValue()));
        }
        relists.incrementAndGet();
        return CompletableFuture.allOf(synced.toArray(CompletableFuture[]::new));
    }

    /**
     * Starts a fresh informer of the resource. When it has listed, objects {@code known} before but missing now are
     * queued as deletions, then the round learns what was listed; a failed list is queued as such.
     */
    private CompletableFuture<Void> list(final long round, final WatchedResource resource,
            final List<? extends HasMetadata> known) {
        final SharedIndexInformer<? extends HasMetadata> informer = newInformer(resource);
        return informer.start().toCompletableFuture().whenComplete((ok, error) -> {
            if (error != null) {
                queue.add(new ListingFailed(round, resource, error));
                return;
            }
            final Set<String> listed = informer.getStore().list().stream().map(Meta::key).collect(Collectors.toSet());
            for (final HasMetadata before : known) {
                if (!listed.contains(Meta.key(before))) {
                    queue.add(ObjectChange.delete(resource, before));
                }
            }
            queue.add(new Listed(round, resource, listed));
        });
    }

    /** Blocks until the collector stops; rethrows what stopped it, if it failed. */
    public void awaitTermination() throws InterruptedException {
        stopped.await();
        final Throwable error = failure.get();
        if (error != null) {
            throw new IllegalStateException("the collector stopped: " + error.getMessage(), error);
        }
    }

    /** Stops the informers and the worker, and remembers what was published (after flushing it). */
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
            synchronized (this) {
                if (!worker.isAlive() && !checkpointedOnClose) {
                    checkpointedOnClose = true;
                    try {
                        reconciling.checkpoint();
                    } catch (final RuntimeException e) {
                        LOG.error("could not remember what was published in {}: {}", memory.describe(), e.toString());
                    }
                }
            }
        }
        stopped.countDown();
    }

    /** What this collector has published and not taken back; only while it is stopped. */
    public synchronized PublishedState published() {
        if (worker != null && worker.isAlive()) {
            throw new IllegalStateException("the collector is running");
        }
        return reconciling.published();
    }

    /** Creates, registers and returns the informer of a resource; the caller starts it. */
    private SharedIndexInformer<? extends HasMetadata> newInformer(final WatchedResource resource) {
        final SharedIndexInformer<? extends HasMetadata> informer = informable(resource)
                .runnableInformer(config.resyncInterval().toMillis());
        informer.addEventHandler(new QueueingEventHandler<>(resource, queue::add));
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
        ListingRound listing = null;
        boolean unsaved = false;
        try {
            while (running) {
                final long wait = Math.max(0, nextHeartbeat - System.nanoTime());
                final Work item = queue.poll(wait, TimeUnit.NANOSECONDS);
                if (item instanceof ObjectChange change) {
                    projector.apply(change);
                    changesApplied.incrementAndGet();
                    if (listing != null) {
                        listing.applied(change);
                    }
                    unsaved = true;
                } else if (item instanceof ListingStarted started) {
                    listing = new ListingRound(started.round(), started.resources());
                    reconciling.hold();
                } else if (item instanceof Listed listed && listing != null && listing.round == listed.round()) {
                    listing.listed(listed.resource(), listed.keys());
                } else if (item instanceof ListingFailed failed && listing != null && listing.round == failed.round()) {
                    throw new IllegalStateException("listing " + failed.resource().qualifiedName() + " failed: "
                            + failed.error(), failed.error());
                }
                if (listing != null && listing.complete()) {
                    projector.endListing();
                    final int published = reconciling.release();
                    LOG.info("listed cluster {} ({} objects): {} events for what changed since the last list",
                            provenance.cluster(), listing.objects(), published);
                    listing = null;
                    unsaved = true;
                }
                if (unsaved && listing == null && queue.isEmpty()) {
                    reconciling.checkpoint();
                    unsaved = false;
                }
                final long now = System.nanoTime();
                if (now - nextHeartbeat >= 0) {
                    nextHeartbeat = now + intervalNanos;
                    final List<WatchedResource> notWatching = notWatching();
                    if (listing == null && notWatching.isEmpty()) {
                        sink.publish(provenance.heartbeat(null, config.heartbeatInterval().toMillis()));
                        heartbeats.incrementAndGet();
                        if (reportedNotWatching) {
                            LOG.info("every informer is watching again; heartbeats resume");
                            reportedNotWatching = false;
                        }
                    } else if (listing == null && !reportedNotWatching && !notWatching.isEmpty()) {
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

    /**
     * One (re)list in progress: complete when every resource has listed and every object it listed has been
     * applied, so the trackers hold the whole new picture before anything is published.
     */
    private static final class ListingRound {

        private final long round;
        private final Set<WatchedResource> resources;
        // resource -> keys of the objects in its list; absent until it has listed
        private final Map<WatchedResource, Set<String>> expected = new EnumMap<>(WatchedResource.class);
        // resource -> keys of the objects applied since the round began
        private final Map<WatchedResource, Set<String>> applied = new EnumMap<>(WatchedResource.class);

        ListingRound(final long round, final Set<WatchedResource> resources) {
            this.round = round;
            this.resources = resources;
        }

        void applied(final ObjectChange change) {
            applied.computeIfAbsent(change.resource(), r -> new HashSet<>()).add(Meta.key(change.object()));
        }

        void listed(final WatchedResource resource, final Set<String> keys) {
            expected.put(resource, keys);
        }

        boolean complete() {
            for (final WatchedResource resource : resources) {
                final Set<String> keys = expected.get(resource);
                if (keys == null || !applied.getOrDefault(resource, Set.of()).containsAll(keys)) {
                    return false;
                }
            }
            return true;
        }

        int objects() {
            return expected.values().stream().mapToInt(Set::size).sum();
        }
    }

    private synchronized List<WatchedResource> notWatching() {
        return informers.entrySet().stream().filter(e -> !e.getValue().isWatching()).map(Map.Entry::getKey).toList();
    }
}
