package io.vipwatch.collector.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs a started role until it stops or the JVM is asked to exit; the exit code says which. */
final class RoleRunner {

    private static final Logger LOG = LoggerFactory.getLogger(RoleRunner.class);

    /** A started role: it can be waited for and stopped. */
    interface Role extends AutoCloseable {
        void awaitTermination() throws InterruptedException;

        @Override
        void close();
    }

    private RoleRunner() {
    }

    /**
     * Waits for the role; stops it on SIGTERM/SIGINT (a shutdown hook) or when this thread is interrupted.
     *
     * @return 0 when stopped on request, 1 when the role failed
     */
    static int run(final String name, final Role role) {
        final Thread hook = new Thread(role::close, "vipwatch-" + name + "-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            role.awaitTermination();
            return 0;
        } catch (final InterruptedException e) {
            // the interruption is the stop request and is honoured here; not re-raised, so that flushing and
            // closing the sink (a Kafka producer joins its I/O thread) still work on this thread
            return 0;
        } catch (final IllegalStateException e) {
            LOG.error("{} failed: {}", name, e.getMessage());
            return 1;
        } finally {
            role.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (final IllegalStateException e) {
                // the JVM is already shutting down: the hook runs (or ran) anyway
            }
        }
    }
}
