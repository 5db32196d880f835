package io.vipwatch.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.util.Locale;

import io.vipwatch.streams.core.Alert;
import io.vipwatch.streams.core.DetectionSettings;
import io.vipwatch.streams.core.DetectionSink;
import io.vipwatch.streams.core.Detector;
import io.vipwatch.streams.core.InMemoryState;

/**
 * Child JVM of the state benchmark: feeds {@link StateFleet} into the detection core as {@code vipwatch analyze}
 * does (a {@link Detector} over an {@link InMemoryState}) and prints the heap it holds after a full GC, before
 * and after: {@code vips=… heap_before=… heap_after=… bytes_per_vip=… feed_s=… alerts=…}.
 */
public final class StateProbe {

    private StateProbe() {
    }

    public static void main(final String[] args) {
        final int clusters = Integer.parseInt(args[0]);
        final int vips = Integer.parseInt(args[1]);
        final long before = usedAfterGc();
        final long[] alerts = new long[1];
        final InMemoryState state = new InMemoryState();
        final Detector detector = new Detector(DetectionSettings.defaults(), state, new DetectionSink() {
            @Override
            public void alert(final Alert alert) {
                alerts[0]++;
            }
        });
        final long start = System.nanoTime();
        final long events = StateFleet.generate(clusters, vips, detector::accept);
        detector.finish();
        final double feed = (System.nanoTime() - start) / 1e9;
        final long after = usedAfterGc();
        final long tracked = (long) clusters * vips;
        System.out.printf(Locale.ROOT, "vips=%d events=%d heap_before=%d heap_after=%d bytes_per_vip=%.1f feed_s=%.2f "
                + "alerts=%d heap_max=%d%n", tracked, events, before, after, (after - before) / (double) tracked, feed,
                alerts[0], Runtime.getRuntime().maxMemory());
        Reference.reachabilityFence(detector);
        Reference.reachabilityFence(state);
    }

    private static long usedAfterGc() {
        final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
