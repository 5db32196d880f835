package io.vipwatch.bench;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;

import io.vipwatch.schemas.Topics;
import io.vipwatch.schemas.event.Heartbeat;
import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.schemas.publish.InputPublisher;
import io.vipwatch.streams.StreamsSettings;
import io.vipwatch.streams.VipwatchStreams;
import io.vipwatch.streams.fleet.FleetRecording;

/**
 * {@code storm}: a benign 200-cluster fleet runs through the topology for a few heartbeat ticks; then every
 * collector and agent resends its full state at once ({@link FleetRecording#resync}), followed by one heartbeat
 * per collector a second later so every cluster evaluates the storm. Measured: the time from the first storm record
 * published to the topology's commit of all of them. Asserted: the storm opens no alert and changes no ownership.
 */
final class StormBench {

    private static final Duration TIMEOUT = Duration.ofMinutes(20);
    private static final int TICKS = 3;

    private StormBench() {
    }

    static Result run(final BenchRun run) {
        final Sizes sizes = run.sizes();
        final int clusters = sizes.stormClusters();
        final Topics topics = run.kafka().topics(run.fresh("storm") + ".", 3);
        final FleetRecording fleet = new FleetRecording(5, clusters, sizes.stormNodes(), sizes.stormServices(), false);
        final long[] last = new long[1];
        final long steady;
        try (InputPublisher publisher = new InputPublisher(run.kafka().client(), topics)) {
            // setup plus TICKS ticks: each tick is (1 + 2 x nodes) events per cluster
            final long perTick = (long) clusters * (1 + 2L * sizes.stormNodes());
            final long setup = (long) clusters * (2L * sizes.stormNodes() + 2L * sizes.stormServices());
            steady = fleet.generate(setup + TICKS * perTick, event -> {
                last[0] = Math.max(last[0], event.observedAt());
                publisher.publish(event);
            });
            publisher.flush();
        }
        final String appId = run.fresh("storm-app");
        final StreamsSettings settings = StreamsSettings.of(run.kafka().client(), topics).withApplicationId(appId)
                .withStateDir(run.scratch("storm-state")).withStartTimeout(TIMEOUT);
        try (VipwatchStreams streams = VipwatchStreams.start(settings)) {
            run.kafka().awaitCommitted(appId, topics.inputs(), TIMEOUT, () -> StateBench.failed(streams));
            final List<String> outputs = List.of(topics.alerts(), topics.ownershipChanges());
            final Map<TopicPartition, Long> before = run.kafka().endOffsets(outputs);
            final long stormAt = last[0] + 1_000;
            final long start = System.nanoTime();
            final long storm;
            try (InputPublisher publisher = new InputPublisher(run.kafka().client(), topics)) {
                storm = fleet.resync(stormAt, publisher::publish);
                for (int c = 0; c < clusters; c++) {
                    final InputEvent heartbeat = new Heartbeat("cluster-" + c, stormAt + 1_000,
                            "collector/cluster-" + c, "storm-end-" + c, null, 10_000);
                    publisher.publish(heartbeat);
                }
                publisher.flush();
            }
            final double published = (System.nanoTime() - start) / 1e9;
            run.kafka().awaitCommitted(appId, topics.inputs(), TIMEOUT, () -> StateBench.failed(streams));
            final double drained = (System.nanoTime() - start) / 1e9;
            final long alerts = run.kafka().read(topics.alerts(), before, record -> { });
            final long changes = run.kafka().read(topics.ownershipChanges(), before, record -> { });
            StateBench.leave(streams);
            if (alerts != 0 || changes != 0) {
                throw new IllegalStateException("the resync storm of " + clusters + " clusters wrote " + alerts
                        + " alert transitions and " + changes + " ownership changes; expected none");
            }
            return Result.of("storm")
                    .put("clusters", clusters)
                    .put("nodesPerCluster", sizes.stormNodes())
                    .put("servicesPerCluster", sizes.stormServices())
                    .put("steadyEvents", steady)
                    .put("stormEvents", storm + clusters)
                    .put("publishSeconds", published)
                    .put("drainSeconds", drained)
                    .put("eventsPerSecond", (storm + clusters) / drained)
                    .put("alerts", alerts)
                    .put("ownershipChanges", changes)
                    .summary(String.format(Locale.ROOT, "storm: %d clusters resent %,d events at once: drained in "
                            + "%.2f s (%,.0f events/s, publishing %.2f s of it), %d alerts, %d ownership changes",
                            clusters, storm + clusters, drained, (storm + clusters) / drained, published, alerts,
                            changes));
        }
    }
}
