package io.vipwatch.streams.core;

import java.time.Duration;

/**
 * The detection tunables (docs/detection.md, "Tunables"). Every duration is event time.
 *
 * @param grace          how long a condition must hold before its alert opens, and be gone before it resolves
 * @param flapPenalty    penalty one flap adds
 * @param flapHalfLife   the penalty halves every half-life
 * @param flapSuppress   FLAPPING opens as soon as the penalty is above this
 * @param flapReuse      FLAPPING resolves when the penalty decays to this
 * @param flapCap        the penalty never exceeds this (default 4 x suppress)
 * @param mergeWindow    responder changes of one VIP less than this apart are merged into one change
 * @param silenceAfter   a source that sent heartbeats and then none for this long is COLLECTOR_SILENT
 */
public record DetectionSettings(
        Duration grace,
        double flapPenalty,
        Duration flapHalfLife,
        double flapSuppress,
        double flapReuse,
        double flapCap,
        Duration mergeWindow,
        Duration silenceAfter) {

    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(15);
    public static final double DEFAULT_FLAP_PENALTY = 1000;
    public static final Duration DEFAULT_FLAP_HALF_LIFE = Duration.ofMinutes(5);
    public static final double DEFAULT_FLAP_SUPPRESS = 2000;
    public static final double DEFAULT_FLAP_REUSE = 750;
    public static final Duration DEFAULT_MERGE_WINDOW = Duration.ofSeconds(2);
    public static final Duration DEFAULT_SILENCE_AFTER = Duration.ofSeconds(30);

    /**
     * @throws IllegalArgumentException naming the tunable that is out of range
     */
    public DetectionSettings {
        requireNonNegative("grace", grace);
        requireNonNegative("flap-merge-window", mergeWindow);
        requireNonNegative("silence-after", silenceAfter);
        if (flapHalfLife == null || flapHalfLife.isZero() || flapHalfLife.isNegative()) {
            throw new IllegalArgumentException("flap-half-life must be positive, got " + flapHalfLife);
        }
        if (!(flapPenalty > 0) || Double.isInfinite(flapPenalty)) {
            throw new IllegalArgumentException("flap-penalty must be positive, got " + flapPenalty);
        }
        if (!(flapReuse > 0)) {
            throw new IllegalArgumentException("flap-reuse must be positive, got " + flapReuse);
        }
        if (!(flapSuppress > flapReuse)) {
            throw new IllegalArgumentException("flap-suppress (" + flapSuppress + ") must be above flap-reuse ("
                    + flapReuse + ")");
        }
        if (!(flapCap > flapSuppress)) {
            throw new IllegalArgumentException("flap-cap (" + flapCap + ") must be above flap-suppress ("
                    + flapSuppress + ")");
        }
    }

    /** The defaults of the issue: grace 15 s, penalty 1000, half-life 5 min, suppress 2000, reuse 750, cap 8000. */
    public static DetectionSettings defaults() {
        return new DetectionSettings(DEFAULT_GRACE, DEFAULT_FLAP_PENALTY, DEFAULT_FLAP_HALF_LIFE, DEFAULT_FLAP_SUPPRESS,
                DEFAULT_FLAP_REUSE, 4 * DEFAULT_FLAP_SUPPRESS, DEFAULT_MERGE_WINDOW, DEFAULT_SILENCE_AFTER);
    }

    public DetectionSettings withGrace(final Duration value) {
        return new DetectionSettings(value, flapPenalty, flapHalfLife, flapSuppress, flapReuse, flapCap, mergeWindow,
                silenceAfter);
    }

    public DetectionSettings withSilenceAfter(final Duration value) {
        return new DetectionSettings(grace, flapPenalty, flapHalfLife, flapSuppress, flapReuse, flapCap, mergeWindow,
                value);
    }

    public DetectionSettings withMergeWindow(final Duration value) {
        return new DetectionSettings(grace, flapPenalty, flapHalfLife, flapSuppress, flapReuse, flapCap, value,
                silenceAfter);
    }

    /** Damping tunables together; {@code cap <= 0} means 4 x suppress. */
    public DetectionSettings withDamping(final double penalty, final Duration halfLife, final double suppress,
            final double reuse, final double cap) {
        return new DetectionSettings(grace, penalty, halfLife, suppress, reuse, cap > 0 ? cap : 4 * suppress,
                mergeWindow, silenceAfter);
    }

    long graceMs() {
        return grace.toMillis();
    }

    long halfLifeMs() {
        return flapHalfLife.toMillis();
    }

    long mergeWindowMs() {
        return mergeWindow.toMillis();
    }

    long silenceAfterMs() {
        return silenceAfter.toMillis();
    }

    private static void requireNonNegative(final String name, final Duration value) {
        if (value == null || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be zero or positive, got " + value);
        }
    }
}
