package io.vipwatch.schemas.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGTERM and SIGINT as a request to stop: a long-running role waits on this, then flushes, closes and returns its
 * exit code, 0 for "stopped on request". Left to the JVM, a signal starts the shutdown at once and the process exits
 * with 128 + the signal (143 for SIGTERM) whatever the role returns, so a clean stop would be indistinguishable from
 * a crash to Kubernetes, systemd or a script.
 *
 * <p>A second signal while stopping ends the process at once (exit 128 + signal), for a stop that hangs. Should the
 * JVM shut down another way (SIGHUP, {@code System.exit} elsewhere), a shutdown hook requests the stop and waits up
 * to {@link #HOOK_WAIT} for the role to {@link #close()} this. Uses {@code sun.misc.Signal} (module
 * {@code jdk.unsupported}), the JDK's only signal API; where a signal cannot be handled (the JVM runs with
 * {@code -Xrs}) only the hook remains.
 */
public final class StopSignal implements AutoCloseable {

    /** How long the shutdown hook waits for the role to close. */
    public static final Duration HOOK_WAIT = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(StopSignal.class);
    private static final List<String> SIGNALS = List.of("TERM", "INT");

    private final String role;
    private final Runnable onStop;
    private final CountDownLatch requested = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicBoolean signalled = new AtomicBoolean();
    private final AtomicBoolean stopping = new AtomicBoolean();
    // signal -> the handler it had before, restored on close
    private final List<Previous> previous = new ArrayList<>();
    private final Thread hook;

    private record Previous(Signal signal, SignalHandler handler) {
    }

    private StopSignal(final String role, final Runnable onStop) {
        this.role = role;
        this.onStop = onStop;
        this.hook = new Thread(() -> {
            request();
            try {
                if (!closed.await(HOOK_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.warn("{} did not stop within {}", role, HOOK_WAIT);
                }
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "vipwatch-" + role + "-shutdown");
    }

    /** Handles SIGTERM and SIGINT until {@link #close()}; wait with {@link #awaitStop}. */
    public static StopSignal install(final String role) {
        return install(role, () -> { });
    }

    /**
     * Handles SIGTERM and SIGINT until {@link #close()}. {@code onStop} runs once when a stop is requested, on the
     * signal's thread: it should only wake the role up (count a latch down, interrupt a thread), not stop it.
     */
    public static StopSignal install(final String role, final Runnable onStop) {
        final StopSignal stop = new StopSignal(role, onStop);
        for (final String name : SIGNALS) {
            try {
                final Signal signal = new Signal(name);
                stop.previous.add(new Previous(signal, Signal.handle(signal, stop::handle)));
            } catch (final IllegalArgumentException e) {
                LOG.debug("SIG{} cannot be handled here ({}); relying on the shutdown hook", name, e.getMessage());
            }
        }
        Runtime.getRuntime().addShutdownHook(stop.hook);
        return stop;
    }

    private void handle(final Signal signal) {
        if (signalled.compareAndSet(false, true)) {
            LOG.info("{}: SIG{} received, stopping", role, signal.getName());
            request();
        } else {
            LOG.warn("{}: SIG{} received again while stopping: exiting now", role, signal.getName());
            Runtime.getRuntime().halt(128 + signal.getNumber());
        }
    }

    private void request() {
        if (stopping.compareAndSet(false, true)) {
            requested.countDown();
            onStop.run();
        }
    }

    /** True once a stop was requested. */
    public boolean stopRequested() {
        return requested.getCount() == 0;
    }

    /** Waits up to {@code timeout} for a stop request. @return true when a stop was requested */
    public boolean awaitStop(final long timeout, final TimeUnit unit) throws InterruptedException {
        return requested.await(timeout, unit);
    }

    /** Waits for a stop request. */
    public void awaitStop() throws InterruptedException {
        requested.await();
    }

    /** The role has stopped: restores the previous signal handlers and releases a waiting shutdown hook. */
    @Override
    public void close() {
        closed.countDown();
        for (final Previous p : previous) {
            Signal.handle(p.signal(), p.handler());
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (final IllegalStateException e) {
            // the JVM is shutting down: the hook runs (or ran) and is released by the count-down above
        }
    }
}
