package io.vipwatch.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The few statistics the benchmarks report: nearest-rank percentiles, medians, and the order of rounds. */
public final class Stats {

    private Stats() {
    }

    /**
     * The nearest-rank percentile of {@code values} ({@code p} in 0..1): the smallest value with at least
     * {@code p} of the values at or below it. The array is sorted in place. NaN for no values.
     */
    public static double percentile(final double[] values, final double p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        if (p < 0 || p > 1) {
            throw new IllegalArgumentException("percentile: p must be in 0..1, got " + p);
        }
        Arrays.sort(values);
        final int rank = (int) Math.ceil(p * values.length);
        return values[Math.max(0, Math.min(values.length - 1, rank - 1))];
    }

    public static double percentile(final List<? extends Number> values, final double p) {
        final double[] array = new double[values.size()];
        for (int i = 0; i < array.length; i++) {
            array[i] = values.get(i).doubleValue();
        }
        return percentile(array, p);
    }

    public static double median(final List<? extends Number> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        final double[] array = values.stream().mapToDouble(Number::doubleValue).sorted().toArray();
        final int mid = array.length / 2;
        return array.length % 2 == 1 ? array[mid] : (array[mid - 1] + array[mid]) / 2;
    }

    public static double max(final List<? extends Number> values) {
        return values.stream().mapToDouble(Number::doubleValue).max().orElse(Double.NaN);
    }

    /**
     * The order in which the sides of a comparison run: one warm-up round of each side first (equal warm-up),
     * then {@code rounds} measured rounds of each, alternating and starting each pair with the other side
     * (A B, B A, A B, ...) so that neither side always runs on the warmer, or more loaded, machine.
     */
    public static List<Round> alternation(final int rounds) {
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds: at least 1, got " + rounds);
        }
        final List<Round> order = new ArrayList<>();
        order.add(new Round(Side.BASELINE, 0, true));
        order.add(new Round(Side.SUBJECT, 0, true));
        for (int round = 1; round <= rounds; round++) {
            final boolean baselineFirst = round % 2 == 0;
            order.add(new Round(baselineFirst ? Side.BASELINE : Side.SUBJECT, round, false));
            order.add(new Round(baselineFirst ? Side.SUBJECT : Side.BASELINE, round, false));
        }
        return order;
    }

    /** Which side of a comparison: the baseline (pass-through, read-only, raw COPY) or what is measured. */
    public enum Side {
        BASELINE, SUBJECT
    }

    /** One run of one side; round 0 is the warm-up, not counted. */
    public record Round(Side side, int round, boolean warmUp) {
    }
}
