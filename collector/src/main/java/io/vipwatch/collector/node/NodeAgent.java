package io.vipwatch.collector.node;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vipwatch.collector.publish.EventSink;
import io.vipwatch.collector.publish.Provenance;
import io.vipwatch.schemas.event.NodeAddresses;
import io.vipwatch.schemas.event.NodeAddresses.Address;
import io.vipwatch.schemas.event.NodeAddresses.Link;

/**
 * The node address agent ({@code vipwatch node-agent}): publishes the node's full set of global-scope addresses, with
 * each interface's MAC, as a {@link NodeAddresses} snapshot when it starts, whenever it changes (signalled by the {@link AddressSource},
 * checked again by a periodic full read), and with every heartbeat.
 *
 * <p>One thread reads and publishes, so snapshots leave in the order they were read. A read that fails publishes
 * nothing, not even the heartbeat: an agent that cannot see its addresses goes silent rather than report an empty
 * node. A failed publish stops the agent (the process exits and, restarted, sends its snapshot again).
 */
public final class NodeAgent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NodeAgent.class);
    private static final Comparator<Address> ORDER = Comparator.comparing(Address::iface).thenComparing(Address::ip)
            .thenComparingInt(Address::prefixLength);

    /** Counters for logs and tests. */
    public record Stats(long snapshots, long heartbeats, long readFailures) {
    }

    private final NodeAgentSettings config;
    private final AddressSource source;
    private final EventSink sink;
    private final Provenance provenance;
    private final ScheduledExecutorService executor;
    private final AtomicBoolean readPending = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicLong snapshots = new AtomicLong();
    private final AtomicLong heartbeats = new AtomicLong();
    private final AtomicLong readFailures = new AtomicLong();

    /** What a snapshot carries: the addresses, sorted, and each interface's MAC. */
    private record Snapshot(List<Address> addresses, List<Link> links) {
    }

    // the last snapshot published; touched only by the executor's thread
    private Snapshot published;
    private AutoCloseable watch;

    public NodeAgent(final NodeAgentSettings config, final AddressSource source, final EventSink sink,
            final Provenance provenance) {
        this.config = config;
        this.source = source;
        this.sink = sink;
        this.provenance = provenance;
        this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            final Thread thread = new Thread(runnable, "vipwatch-node-agent");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The source the configuration asks for: {@code auto} is ip where it runs, else NetworkInterface. */
    public static AddressSource sourceFor(final NodeAgentSettings config) {
        final IpCommandSource ip = new IpCommandSource(config.ipCommand());
        final NetworkInterfaceSource java = new NetworkInterfaceSource(config.pollInterval().toMillis());
        switch (config.addressSource()) {
            case IP:
                return ip;
            case JAVA:
                return java;
            default:
                try {
                    ip.read();
                    return ip;
                } catch (final IOException e) {
                    LOG.warn("{} does not work here ({}); reading addresses with {}", String.join(" ",
                            config.ipCommand()), e.getMessage(), java.describe());
                    return java;
                }
        }
    }

    /** Publishes the first snapshot and heartbeat, then watches. */
    public synchronized void start() {
        LOG.info("node agent for {} in cluster {} as {}: reading addresses with {}", config.node(), config.cluster(),
                provenance.source(), source.describe());
        final long heartbeatMs = config.heartbeatInterval().toMillis();
        watch = source.watch(this::changed);
        executor.execute(this::heartbeat);
        executor.scheduleAtFixedRate(this::heartbeat, heartbeatMs, heartbeatMs, TimeUnit.MILLISECONDS);
        final long fullReadMs = config.fullReadInterval().toMillis();
        executor.scheduleWithFixedDelay(() -> guarded(() -> readAndPublish(false)), fullReadMs, fullReadMs,
                TimeUnit.MILLISECONDS);
    }

    public Stats stats() {
        return new Stats(snapshots.get(), heartbeats.get(), readFailures.get());
    }

    /** Blocks until the agent stops; rethrows what stopped it, if it failed. */
    public void awaitTermination() throws InterruptedException {
        stopped.await();
        final Throwable error = failure.get();
        if (error != null) {
            throw new IllegalStateException("the node agent stopped: " + error.getMessage(), error);
        }
    }

    @Override
    public synchronized void close() {
        if (watch != null) {
            try {
                watch.close();
            } catch (final Exception e) {
                LOG.debug("closing the address watch: {}", e.toString());
            }
        }
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stopped.countDown();
    }

    /** A possible change: one read, queued unless one is already waiting. */
    private void changed() {
        if (readPending.compareAndSet(false, true)) {
            try {
                executor.execute(() -> {
                    readPending.set(false);
                    guarded(() -> readAndPublish(false));
                });
            } catch (final RejectedExecutionException e) {
                readPending.set(false); // shutting down
            }
        }
    }

    private void heartbeat() {
        guarded(() -> {
            if (readAndPublish(true)) {
                sink.publish(provenance.heartbeat(config.node(), config.heartbeatInterval().toMillis()));
                heartbeats.incrementAndGet();
            }
        });
    }

    /**
     * Reads the addresses and publishes them if they changed, or always when {@code always}.
     *
     * @return whether the read succeeded
     */
    private boolean readAndPublish(final boolean always) {
        final Snapshot now;
        try {
            final List<Link> links = new ArrayList<>();
            source.links().forEach((iface, mac) -> links.add(new Link(iface, mac)));
            now = new Snapshot(sorted(source.read()), List.copyOf(links));
        } catch (final IOException | RuntimeException e) {
            readFailures.incrementAndGet();
            LOG.warn("cannot read the addresses of {}: {}; nothing published", config.node(), e.getMessage());
            return false;
        }
        if (always || !now.equals(published)) {
            sink.publish(new NodeAddresses(provenance.cluster(), provenance.now(), provenance.source(),
                    provenance.newEventId(), config.node(), now.addresses(), false, now.links()));
            published = now;
            snapshots.incrementAndGet();
        }
        return true;
    }

    private void guarded(final Runnable work) {
        if (stopped.getCount() == 0) {
            return;
        }
        try {
            work.run();
        } catch (final RuntimeException e) {
            LOG.error("the node agent stops: {}", e.toString(), e);
            failure.compareAndSet(null, e);
            executor.shutdown();
            stopped.countDown();
        }
    }

    static List<Address> sorted(final List<Address> addresses) {
        final List<Address> copy = new ArrayList<>(addresses);
        copy.sort(ORDER);
        return List.copyOf(copy);
    }
}
