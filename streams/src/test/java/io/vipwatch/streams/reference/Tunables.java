package io.vipwatch.streams.reference;

/**
 * The tunables of docs/detection.md ("Tunables"), durations in milliseconds. The reference model's own
 * copy: it shares no code with the core.
 *
 * @param cap the highest penalty (already resolved: 4 x suppress where the flag says 0)
 */
public record Tunables(long grace, double penalty, long halfLife, double suppress, double reuse, double cap,
        long mergeWindow, long silenceAfter) {

    /** The defaults of the tunables table. */
    public static Tunables defaults() {
        return new Tunables(15_000, 1000, 300_000, 2000, 750, 8000, 2_000, 30_000);
    }

    @Override
    public String toString() {
        return "grace=" + grace + "ms penalty=" + penalty + " halfLife=" + halfLife + "ms suppress=" + suppress
                + " reuse=" + reuse + " cap=" + cap + " mergeWindow=" + mergeWindow + "ms silenceAfter=" + silenceAfter
                + "ms";
    }
}
