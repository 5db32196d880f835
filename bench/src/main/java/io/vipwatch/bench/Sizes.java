package io.vipwatch.bench;

/**
 * How big each sub-benchmark runs: the full sizes of issue 8's targets, or {@code --quick}'s reduced ones, both
 * multiplied by {@code --scale} (tests run at tiny scales).
 *
 * @param rounds           measured rounds per side of each comparison (after one warm-up round per side)
 * @param topologyEvents   fleet events through the topology and the pass-through (20 clusters x 30 nodes x 40 Services)
 * @param latencyRate      background load, events/s
 * @param latencySeconds   measured seconds of the latency run (after as many warm-up seconds as a third of it)
 * @param latencyClusters  clusters of the background load (30 nodes each); incidents rotate over them
 * @param stateClusters    clusters of the state benchmark
 * @param stateVips        VIPs per cluster of the state benchmark
 * @param stateHeapMb      heap of the state benchmark's child JVM
 * @param restoreClusters  clusters of the restore measurement (same VIPs per cluster)
 * @param stormClusters    clusters of the storm fleet
 * @param stormNodes       nodes per cluster of the storm fleet
 * @param stormServices    Services per cluster of the storm fleet
 * @param analyzeEvents    events of the analyze recording
 * @param historyRows      ownership-change rows the queries run against
 * @param historySinkRecords records the sink and the raw COPY write
 * @param historyQueries   queries per kind
 */
record Sizes(int rounds, long topologyEvents, int latencyRate, int latencySeconds, int latencyClusters,
        int stateClusters, int stateVips, int stateHeapMb, int restoreClusters, int stormClusters, int stormNodes,
        int stormServices, long analyzeEvents, long historyRows, int historySinkRecords, int historyQueries) {

    static Sizes full(final double scale) {
        return new Sizes(3, scaled(1_000_000, scale), 20_000, (int) scaled(60, Math.sqrt(scale)), 200,
                (int) scaled(1_000, scale), 1_000, 4096, (int) scaled(1_000, scale), 200, 30, 40,
                scaled(1_000_000, scale), scaled(10_000_000, scale), (int) scaled(400_000, scale),
                (int) scaled(2_000, scale));
    }

    static Sizes quick(final double scale) {
        return new Sizes(1, scaled(100_000, scale), 20_000, (int) scaled(10, Math.sqrt(scale)), 50,
                (int) scaled(50, scale), 1_000, 1024, (int) scaled(10, scale), 200, 10, 10,
                scaled(150_000, scale), scaled(100_000, scale), (int) scaled(20_000, scale),
                (int) scaled(200, scale));
    }

    private static long scaled(final long value, final double scale) {
        return Math.max(1, Math.round(value * scale));
    }
}
