package io.vipwatch.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import org.apache.kafka.streams.CloseOptions;

import io.vipwatch.schemas.Topics;
import io.vipwatch.schemas.event.Heartbeat;
import io.vipwatch.schemas.publish.InputPublisher;
import io.vipwatch.streams.StreamsSettings;
import io.vipwatch.streams.VipwatchStreams;
import io.vipwatch.streams.fleet.FleetRecording;

/**
 * {@code state}: heap per tracked VIP, and the time to restore that state after a restart.
 * <ul>
 * <li>Heap: a child JVM with the full run's 4 GB heap ({@code -Xmx4g}) feeds {@link StateFleet} (1,000 clusters x
 *     1,000 VIPs in the full run) into the detection core through its public API ({@link StateProbe}) and
 *     measures the heap used after a full GC, before and after.</li>
 * <li>Restore: the same kind of fleet (fewer clusters where {@link Sizes#restoreClusters} says so) goes through the
 *     topology once; the topology is closed (leaving its group), its local state deleted, and started again with
 *     the same application id. Restore time = from that start to RUNNING and then caught up with one more input
 *     event (a task processes nothing before its stores are restored from their changelogs).</li>
 * </ul>
 */
final class StateBench {

    private static final Duration TIMEOUT = Duration.ofMinutes(30);

    private StateBench() {
    }

    static Result run(final BenchRun run) {
        final Sizes sizes = run.sizes();
        final List<String> probe = ChildJvm.run(false, List.of("-Xmx" + sizes.stateHeapMb() + "m", "-XX:+UseG1GC"),
                StateProbe.class, 1800, String.valueOf(sizes.stateClusters()), String.valueOf(sizes.stateVips()));
        final double bytesPerVip = ChildJvm.value(probe, "bytes_per_vip");
        final double vips = ChildJvm.value(probe, "vips");
        final double heapAfter = ChildJvm.value(probe, "heap_after");
        run.progress("state: %s", probe.get(probe.size() - 1));
        final Restore restore = restore(run, sizes.restoreClusters(), sizes.stateVips());
        return Result.of("state")
                .put("vips", (long) vips)
                .put("clusters", sizes.stateClusters())
                .put("vipsPerCluster", sizes.stateVips())
                .put("heapMaxMb", sizes.stateHeapMb())
                .put("heapUsedBytes", (long) heapAfter)
                .put("bytesPerVip", bytesPerVip)
                .put("feedSeconds", ChildJvm.value(probe, "feed_s"))
                .put("target", 1024)
                .put("targetMet", bytesPerVip <= 1024)
                .put("restoreVips", restore.vips())
                .put("restoreEvents", restore.events())
                .put("processSeconds", restore.processSeconds())
                .put("restoreToRunningSeconds", restore.toRunningSeconds())
                .put("restoreSeconds", restore.restoreSeconds())
                .summary(String.format(Locale.ROOT, "state: %.0f bytes per VIP at %,d VIPs (heap %,d MB used of "
                        + "-Xmx%dm; target <= 1024); restore of %,d VIPs after a restart: %.1f s (RUNNING after %.1f s)",
                        bytesPerVip, (long) vips, (long) heapAfter >> 20, sizes.stateHeapMb(), restore.vips(),
                        restore.restoreSeconds(), restore.toRunningSeconds()));
    }

    record Restore(long vips, long events, double processSeconds, double toRunningSeconds, double restoreSeconds) {
    }

    static Restore restore(final BenchRun run, final int clusters, final int vips) {
        final Topics topics = run.kafka().topics(run.fresh("state") + ".", 3);
        final long events;
        try (InputPublisher publisher = new InputPublisher(run.kafka().client(), topics)) {
            events = StateFleet.generate(clusters, vips, publisher::publish);
            publisher.flush();
        }
        final String appId = run.fresh("state-app");
        final StreamsSettings first = StreamsSettings.of(run.kafka().client(), topics).withApplicationId(appId)
                .withStateDir(run.scratch("state-first")).withStartTimeout(TIMEOUT);
        final long start = System.nanoTime();
        try (VipwatchStreams streams = VipwatchStreams.start(first)) {
            run.kafka().awaitCommitted(appId, topics.inputs(), TIMEOUT, () -> failed(streams));
            leave(streams);
        }
        final double process = (System.nanoTime() - start) / 1e9;
        // a restart on another machine: no local state, everything comes back from the changelogs
        final Path fresh = run.scratch("state-restart");
        final StreamsSettings second = first.withStateDir(fresh);
        final long restart = System.nanoTime();
        try (VipwatchStreams streams = VipwatchStreams.start(second)) {
            final double running = (System.nanoTime() - restart) / 1e9;
            try (InputPublisher publisher = new InputPublisher(run.kafka().client(), topics)) {
                for (int c = 0; c < clusters; c++) {
                    publisher.publish(new Heartbeat("state-" + c, FleetRecording.T0 + vips + 10,
                            "collector/state-" + c, "restore-probe-" + c, null, 10_000));
                }
                publisher.flush();
            }
            run.kafka().awaitCommitted(appId, topics.inputs(), TIMEOUT, () -> failed(streams));
            final double restored = (System.nanoTime() - restart) / 1e9;
            leave(streams);
            return new Restore((long) clusters * vips, events, process, running, restored);
        }
    }

    /** Closes the Kafka Streams client leaving its group, so that a restart need not wait for a session timeout. */
    static void leave(final VipwatchStreams streams) {
        streams.kafkaStreams().close(CloseOptions.groupMembershipOperation(
                CloseOptions.GroupMembershipOperation.LEAVE_GROUP).withTimeout(Duration.ofSeconds(30)));
    }

    static void failed(final VipwatchStreams streams) {
        if (streams.failure() != null) {
            throw new IllegalStateException("the topology failed: " + streams.failure(), streams.failure());
        }
    }
}
