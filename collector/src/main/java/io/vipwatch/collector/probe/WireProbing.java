package io.vipwatch.collector.probe;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vipwatch.schemas.event.NodeAddresses.Address;

/**
 * The node agent's probing ({@code node-agent --probe}): every {@code interval} (jittered by ±10 %), and at once
 * when the VIP set changes, probes every VIP of the set on the interface whose subnet contains it, at most
 * {@code concurrency} at a time, and hands each result on. Rounds never overlap: a change during a round starts the
 * next round as soon as it ends. A VIP no interface's subnet holds is not probed (counted, logged once); a probe
 * that fails hands nothing on (an unknown answer is not an empty one).
 */
public final class WireProbing implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WireProbing.class);

    /** What one probe heard: on {@code iface}, the MACs that answered for {@code ip} in the window. */
    public record Result(String iface, String ip, SortedSet<String> macs, long observedAt, long windowMs) {
    }

    /** The node's addresses now (the node agent's address source). */
    @FunctionalInterface
    public interface Addresses {
        List<Address> read() throws IOException;
    }

    /**
     * @param interval time between rounds (default 10 s), jittered by ±10 %
     * @param window how long a probe collects replies (default 1 s)
     * @param concurrency probes at a time
     */
    public record Settings(Duration interval, Duration window, int concurrency) {

        /** @throws IllegalArgumentException naming the flag whose value is out of range */
        public Settings {
            if (interval == null || interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("--probe-interval must be positive, got " + interval);
            }
            ArpingProber.wholeSeconds(window);
            if (concurrency < 1 || concurrency > 1024) {
                throw new IllegalArgumentException("--probe-concurrency must be 1 to 1024, got " + concurrency);
            }
        }
    }

    private final Settings settings;
    private final Addresses addresses;
    private final WireProber ipv4;
    private final WireProber ipv6;
    private final Consumer<Result> publish;
    private final Clock clock;
    private final ExecutorService probes;
    private final Thread scheduler;
    private final Object lock = new Object();
    private final Object publishing = new Object();
    private final Set<String> unreachableLogged = ConcurrentHashMap.newKeySet();
    private final MeterRegistry registry;
    private final Timer probeTime;
    private final Timer roundTime;
    private final AtomicInteger vipCount = new AtomicInteger();
    private final AtomicInteger unreachable = new AtomicInteger();
    // guarded by lock
    private Set<String> vips;
    private boolean changed;
    private boolean running = true;

    public WireProbing(final Settings settings, final Addresses addresses, final WireProber ipv4,
            final WireProber ipv6, final Consumer<Result> publish, final MeterRegistry registry, final Clock clock) {
        this.settings = settings;
        this.addresses = addresses;
        this.ipv4 = ipv4;
        this.ipv6 = ipv6;
        this.publish = publish;
        this.clock = clock;
        this.registry = registry;
        this.probes = Executors.newFixedThreadPool(settings.concurrency(), daemon("vipwatch-probe"));
        this.scheduler = daemon("vipwatch-probe-rounds").newThread(this::run);
        this.probeTime = Timer.builder("vipwatch_probe").description("Time of one probe: request and reply window")
                .publishPercentiles(0.5, 0.99).register(registry);
        this.roundTime = Timer.builder("vipwatch_probe_round").description("Time to probe every VIP once")
                .publishPercentiles(0.5, 0.99).register(registry);
        Gauge.builder("vipwatch_probe_vips", vipCount, AtomicInteger::get)
                .description("VIPs the prober asks about (claimed by a Service)").register(registry);
        Gauge.builder("vipwatch_probe_unreachable_vips", unreachable, AtomicInteger::get)
                .description("VIPs of the set in no subnet of this node: not probed from here").register(registry);
    }

    /** Starts the rounds; the first runs once the source gives the first set. */
    public void start(final VipSource source) {
        scheduler.start();
        source.start(this::vipsChanged);
    }

    /** A new VIP set: probed at once (after the round under way, if any). */
    public void vipsChanged(final Set<String> now) {
        synchronized (lock) {
            if (!now.equals(vips)) {
                vips = Set.copyOf(now);
                vipCount.set(vips.size());
                changed = true;
                lock.notifyAll();
            }
        }
    }

    private void run() {
        try {
            while (true) {
                final Set<String> round;
                synchronized (lock) {
                    long wait = jittered();
                    final long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(wait);
                    while (running && !changed && (vips == null || wait > 0)) {
                        lock.wait(vips == null ? 0 : wait); // the probe schedule, or a change of the set
                        wait = TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime());
                    }
                    if (!running) {
                        return;
                    }
                    changed = false;
                    round = vips;
                }
                round(round);
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean firstRound = true;

    private long jittered() {
        if (firstRound) {
            firstRound = false;
            return 0;
        }
        final long interval = settings.interval().toMillis();
        return interval - interval / 10 + ThreadLocalRandom.current().nextLong(interval / 5 + 1);
    }

    /** Probes every VIP once, at most {@code concurrency} at a time, and waits for all of them. */
    void round(final Set<String> round) throws InterruptedException {
        final long started = System.nanoTime();
        final List<Address> own;
        try {
            own = addresses.read();
        } catch (final IOException e) {
            LOG.warn("cannot read this node's addresses ({}); no probes this round", e.getMessage());
            return;
        }
        final List<Future<?>> pending = new ArrayList<>();
        int notReachable = 0;
        for (final String ip : round) {
            final Optional<String> iface = ProbeTargets.interfaceFor(ip, own);
            if (iface.isEmpty()) {
                notReachable++;
                if (unreachableLogged.add(ip)) {
                    LOG.info("{} is in no subnet of this node: not probed from here", ip);
                }
                continue;
            }
            pending.add(probes.submit(() -> probeOne(iface.get(), ip)));
        }
        unreachable.set(notReachable);
        for (final Future<?> future : pending) {
            try {
                future.get();
            } catch (final ExecutionException e) {
                LOG.warn("a probe failed: {}", e.getCause().toString());
            }
        }
        roundTime.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }

    private void probeOne(final String iface, final String ip) {
        final String family = ip.indexOf(':') >= 0 ? "ipv6" : "ipv4";
        final WireProber prober = "ipv6".equals(family) ? ipv6 : ipv4;
        final long start = System.nanoTime();
        counter("vipwatch_probes", "Probes sent (ARP requests, neighbour solicitations)", family).increment();
        final SortedSet<String> macs;
        try {
            macs = prober.probe(iface, ip, settings.window());
        } catch (final IOException e) {
            counter("vipwatch_probe_failures", "Probes that could not be sent or read", family).increment();
            LOG.warn("probe of {} on {} failed: {}", ip, iface, e.getMessage());
            return;
        } finally {
            probeTime.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
        counter("vipwatch_probe_replies", "Responders heard: distinct MACs per probe", family).increment(macs.size());
        synchronized (publishing) { // stamped and handed on in one step: the results leave in time order
            publish.accept(new Result(iface, ip, macs, clock.millis(), settings.window().toMillis()));
        }
    }

    private Counter counter(final String name, final String description, final String family) {
        return Counter.builder(name).description(description).tag("family", family).register(registry);
    }

    @Override
    public void close() {
        synchronized (lock) {
            running = false;
            lock.notifyAll();
        }
        scheduler.interrupt();
        probes.shutdownNow();
        try {
            scheduler.join(5_000);
            probes.awaitTermination(5, TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory daemon(final String name) {
        return runnable -> {
            final Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
