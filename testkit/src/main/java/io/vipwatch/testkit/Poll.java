package io.vipwatch.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * Waits for something asynchronous by asking again until it holds or a timeout passes; the house
 * rule is to never wait with a fixed sleep. Each failure message names what was awaited and the
 * last value or error seen, so a timeout says more than "condition not met".
 *
 * <pre>{@code
 * List<Alert> alerts = Poll.until("an alert for 192.0.2.10", Duration.ofSeconds(10),
 *         () -> store.alertsFor("192.0.2.10"), list -> !list.isEmpty());
 * Poll.untilAsserted("the VIP row", Duration.ofSeconds(10),
 *         () -> assertThat(store.vip("192.0.2.10")).hasValueSatisfying(...));
 * }</pre>
 *
 * <p>The first probe runs at once; later ones back off from 10 ms to 200 ms.
 */
public final class Poll {

    private static final Duration FIRST_PAUSE = Duration.ofMillis(10);
    private static final Duration LONGEST_PAUSE = Duration.ofMillis(200);

    private Poll() {
    }

    /** An assertion that may throw any exception; {@link AssertionError} means "not yet". */
    @FunctionalInterface
    public interface Assertion {
        void check() throws Exception;
    }

    /**
     * Calls {@code probe} until its value satisfies {@code done} and returns that value. An
     * exception from {@code probe} counts as "not yet" and is reported if the time runs out.
     *
     * @throws AssertionError if {@code timeout} passes first
     */
    public static <T> T until(final String what, final Duration timeout, final Callable<T> probe,
            final Predicate<? super T> done) {
        Objects.requireNonNull(probe, "probe");
        Objects.requireNonNull(done, "done");
        final long deadline = System.nanoTime() + timeout.toNanos();
        Duration pause = FIRST_PAUSE;
        T last = null;
        Throwable lastError = null;
        int attempts = 0;
        while (true) {
            attempts++;
            try {
                last = probe.call();
                lastError = null;
                if (done.test(last)) {
                    return last;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            } catch (Exception | AssertionError e) {
                lastError = e;
            }
            if (System.nanoTime() - deadline >= 0) {
                final String seen = lastError != null ? "last error: " + lastError : "last value: " + last;
                throw new AssertionError("Timed out after " + timeout + " (" + attempts + " attempts) waiting for "
                        + what + "; " + seen, lastError);
            }
            pause = pause(pause, deadline);
        }
    }

    /**
     * Waits until {@code condition} is true.
     *
     * @throws AssertionError if {@code timeout} passes first
     */
    public static void until(final String what, final Duration timeout, final BooleanSupplier condition) {
        until(what, timeout, condition::getAsBoolean, Boolean::booleanValue);
    }

    /**
     * Runs {@code assertion} until it passes. At the timeout the last failure is rethrown, wrapped
     * in an {@link AssertionError} naming {@code what}, so the test report shows the real mismatch.
     */
    public static void untilAsserted(final String what, final Duration timeout, final Assertion assertion) {
        until(what, timeout, () -> {
            assertion.check();
            return Boolean.TRUE;
        }, passed -> true);
    }

    /**
     * Takes elements from {@code queue} until one satisfies {@code matches} and returns it; the others are dropped.
     * Waits on the queue itself, so an element is seen as soon as it arrives.
     *
     * @throws AssertionError if {@code timeout} passes first
     */
    public static <T> T next(final String what, final Duration timeout, final BlockingQueue<T> queue,
            final Predicate<? super T> matches) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            final T element = queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (element == null) {
                throw new AssertionError("Timed out after " + timeout + " waiting for " + what);
            }
            if (matches.test(element)) {
                return element;
            }
        }
    }

    /**
     * The lines of {@code in} (a process's output), as a daemon thread reads them until the stream ends: wait for
     * one with {@link #next}.
     */
    public static BlockingQueue<String> lines(final InputStream in) {
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    lines.add(line);
                }
            } catch (final IOException e) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    private static Duration pause(final Duration pause, final long deadline) {
        final long remaining = deadline - System.nanoTime();
        final long nanos = Math.max(0, Math.min(pause.toNanos(), remaining));
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while polling", e);
        }
        final Duration next = pause.multipliedBy(2);
        return next.compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : next;
    }
}
