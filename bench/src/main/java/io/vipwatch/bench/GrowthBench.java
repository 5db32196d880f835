package io.vipwatch.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code growth} (not part of {@code --quick}): how the topology's cost grows.
 * <ul>
 * <li>fleet size: throughput at 20, 200 and 1,000 clusters (the same number of events, {@link Sizes#topologyEvents}
 *     capped at 600,000; each size against a pass-through round over the same records);</li>
 * <li>event rate: decision latency at a quarter, half and all of {@link Sizes#latencyRate};</li>
 * <li>stream threads: throughput at 1, 2 and 4 threads over the 200-cluster fleet, each against a pass-through
 *     with as many threads.</li>
 * </ul>
 * Each series is fitted with a least-squares line (y = a + b x) over the logarithm of the size (throughput), the
 * rate (latency) and the thread count (throughput); the JSON keeps every point.
 */
final class GrowthBench {

    static final int[] CLUSTERS = {20, 200, 1000};
    static final int[] THREADS = {1, 2, 4};

    private GrowthBench() {
    }

    static Result run(final BenchRun run) {
        final Sizes sizes = run.sizes();
        final long events = Math.min(600_000, sizes.topologyEvents());
        final List<Map<String, Object>> bySize = new ArrayList<>();
        final double[] logSize = new double[CLUSTERS.length];
        final double[] sizeEps = new double[CLUSTERS.length];
        TopologyBench.Published twoHundred = null;
        for (int i = 0; i < CLUSTERS.length; i++) {
            final TopologyBench.Published fleet = TopologyBench.publish(run, events, CLUSTERS[i], 4);
            if (CLUSTERS[i] == 200) {
                twoHundred = fleet;
            }
            final double base = TopologyBench.passThrough(run, fleet, 1).steady();
            final double topo = TopologyBench.topology(run, fleet, 1).steady();
            run.progress("growth: %d clusters: topology %,.0f events/s, pass-through %,.0f", CLUSTERS[i], topo, base);
            bySize.add(point("clusters", CLUSTERS[i], topo, base));
            logSize[i] = Math.log10(CLUSTERS[i]);
            sizeEps[i] = topo;
        }
        final List<Map<String, Object>> byRate = new ArrayList<>();
        final int[] rates = {sizes.latencyRate() / 4, sizes.latencyRate() / 2, sizes.latencyRate()};
        final double[] rateX = new double[rates.length];
        final double[] rateP99 = new double[rates.length];
        for (int i = 0; i < rates.length; i++) {
            final LatencyBench.Measured m = LatencyBench.measure(run, rates[i], sizes.latencyClusters(),
                    Math.max(10, sizes.latencySeconds() / 2), 1);
            run.progress("growth: %,d events/s: latency p50 %.0f ms p99 %.0f ms", rates[i], m.p(0.5), m.p(0.99));
            final Map<String, Object> point = new LinkedHashMap<>();
            point.put("rate", rates[i]);
            point.put("achievedRate", m.achievedRate());
            point.put("alerts", m.latenciesMs().size());
            point.put("p50Ms", m.p(0.5));
            point.put("p99Ms", m.p(0.99));
            point.put("maxMs", Stats.max(m.latenciesMs()));
            byRate.add(point);
            rateX[i] = rates[i];
            rateP99[i] = m.p(0.99);
        }
        final List<Map<String, Object>> byThreads = new ArrayList<>();
        final double[] threadX = new double[THREADS.length];
        final double[] threadEps = new double[THREADS.length];
        for (int i = 0; i < THREADS.length; i++) {
            final double base = TopologyBench.passThrough(run, twoHundred, THREADS[i]).steady();
            final double topo = TopologyBench.topology(run, twoHundred, THREADS[i]).steady();
            run.progress("growth: %d threads: topology %,.0f events/s, pass-through %,.0f", THREADS[i], topo, base);
            byThreads.add(point("threads", THREADS[i], topo, base));
            threadX[i] = THREADS[i];
            threadEps[i] = topo;
        }
        final double[] size = fit(logSize, sizeEps);
        final double[] rate = fit(rateX, rateP99);
        final double[] threads = fit(threadX, threadEps);
        return Result.of("growth")
                .put("events", events)
                .put("bySize", bySize)
                .put("sizeFit", Map.of("x", "log10(clusters)", "y", "topology events/s", "a", size[0], "b", size[1]))
                .put("byRate", byRate)
                .put("rateFit", Map.of("x", "events/s", "y", "p99 ms", "a", rate[0], "b", rate[1]))
                .put("byThreads", byThreads)
                .put("threadFit", Map.of("x", "threads", "y", "topology events/s", "a", threads[0], "b", threads[1]))
                .summary(String.format(Locale.ROOT, "growth: %,.0f events/s per tenfold clusters (%,.0f at 20); "
                        + "p99 %+.2f ms per 1,000 events/s (%.0f ms at %,d/s); %+,.0f events/s per extra thread",
                        size[1], sizeEps[0], rate[1] * 1000, rateP99[2], rates[2], threads[1]));
    }

    private static Map<String, Object> point(final String key, final int x, final double topo, final double base) {
        final Map<String, Object> point = new LinkedHashMap<>();
        point.put(key, x);
        point.put("topologyEventsPerSecond", topo);
        point.put("passThroughEventsPerSecond", base);
        point.put("ratio", topo / base);
        return point;
    }

    /** Least squares: {a, b} of y = a + b x. */
    static double[] fit(final double[] x, final double[] y) {
        final int n = x.length;
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (int i = 0; i < n; i++) {
            sx += x[i];
            sy += y[i];
            sxx += x[i] * x[i];
            sxy += x[i] * y[i];
        }
        final double denominator = n * sxx - sx * sx;
        final double b = denominator == 0 ? 0 : (n * sxy - sx * sy) / denominator;
        return new double[] {(sy - b * sx) / n, b};
    }
}
