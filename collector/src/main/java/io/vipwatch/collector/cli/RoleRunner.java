package io.vipwatch.collector.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vipwatch.schemas.cli.StopSignal;

/** Runs a started role until it stops or is asked to stop; the exit code says which. */
final class RoleRunner {

    private static final Logger LOG = LoggerFactory.getLogger(RoleRunner.class);

    /** A started role, waited for until it stops by itself (failing) or is stopped. */
    interface Running {
        void awaitTermination() throws InterruptedException;
    }

    private RoleRunner() {
    }

    /**
     * Waits for the role; on SIGTERM/SIGINT ({@link StopSignal}) or when this thread is interrupted, runs
     * {@code close} (which stops the role and flushes what it published) on this thread and returns 0.
     *
     * @return 0 when stopped on request, 1 when the role failed
     */
    static int run(final String name, final Running role, final Runnable close) {
        final Thread waiter = Thread.currentThread();
        final Object lock = new Object();
        final boolean[] waiting = {true}; // guarded by lock: a signal interrupts the wait, never the closing
        try (StopSignal stop = StopSignal.install(name, () -> {
            synchronized (lock) {
                if (waiting[0]) {
                    waiter.interrupt();
                }
            }
        })) {
            try {
                role.awaitTermination();
                return 0;
            } catch (final InterruptedException e) {
                // the stop request, honoured here and not re-raised, so that flushing and closing the sink (a Kafka
                // producer joins its I/O thread) still work on this thread
                return 0;
            } catch (final IllegalStateException e) {
                LOG.error("{} failed: {}", name, e.getMessage());
                return 1;
            } finally {
                synchronized (lock) {
                    waiting[0] = false;
                }
                Thread.interrupted();
                close.run();
            }
        }
    }
}
