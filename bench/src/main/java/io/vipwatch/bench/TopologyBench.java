package io.vipwatch.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;

import io.vipwatch.schemas.Topics;
import io.vipwatch.schemas.publish.InputPublisher;
import io.vipwatch.schemas.serde.InputCodec;
import io.vipwatch.streams.StreamsSettings;
import io.vipwatch.streams.VipwatchStreams;
import io.vipwatch.streams.core.Alert;
import io.vipwatch.streams.core.DetectionSettings;
import io.vipwatch.streams.core.DetectionSink;
import io.vipwatch.streams.core.Detector;
import io.vipwatch.streams.core.InMemoryState;
import io.vipwatch.streams.fleet.FleetRecording;

/**
 * {@code topology}: events/s through the full detection topology ({@link VipwatchStreams}, exactly-once, default
 * flags) against a pass-through Kafka Streams application (read the five input topics, decode, re-encode, write
 * one output topic; exactly-once, one thread) over the same records, published once with {@link InputPublisher}.
 * Each round uses a fresh application id (a fresh consumer group and fresh changelogs) and is timed from start to
 * the group's commit of every input partition to its end. The alerts each topology round wrote must equal in
 * number what the detection core (as in {@code vipwatch analyze}) finds in the same events.
 */
final class TopologyBench {

    static final int CLUSTERS = 20;
    static final int NODES = 30;
    static final int SERVICES = 40;
    private static final Duration ROUND_TIMEOUT = Duration.ofMinutes(20);

    private TopologyBench() {
    }

    /** A published fleet: its topics, how many events, and the alert transitions analyze finds in it. */
    record Published(Topics topics, long events, long expectedAlerts) {
    }

    static Result run(final BenchRun run) {
        final Published fleet = publish(run, run.sizes().topologyEvents(), CLUSTERS, 3);
        final List<Double> baseline = new ArrayList<>();
        final List<Double> subject = new ArrayList<>();
        final List<Double> baselineLaunch = new ArrayList<>();
        final List<Double> subjectLaunch = new ArrayList<>();
        final List<Map<String, Object>> rounds = new ArrayList<>();
        for (final Stats.Round round : Stats.alternation(run.sizes().rounds())) {
            final boolean isBaseline = round.side() == Stats.Side.BASELINE;
            final Rate rate = isBaseline ? passThrough(run, fleet, 1) : topology(run, fleet, 1);
            run.progress("topology %s round %d%s: %,.0f events/s steady, %,.0f from launch (first commit after %.1f s)",
                    isBaseline ? "pass-through" : "detection", round.round(), round.warmUp() ? " (warm-up)" : "",
                    rate.steady(), rate.launchToDone(), rate.startSeconds());
            rounds.add(Map.of("side", isBaseline ? "passThrough" : "topology", "round", round.round(),
                    "warmUp", round.warmUp(), "eventsPerSecond", rate.steady(),
                    "launchToDoneEventsPerSecond", rate.launchToDone(), "firstCommitSeconds", rate.startSeconds()));
            if (!round.warmUp()) {
                (isBaseline ? baseline : subject).add(rate.steady());
                (isBaseline ? baselineLaunch : subjectLaunch).add(rate.launchToDone());
            }
        }
        final double base = Stats.median(baseline);
        final double topo = Stats.median(subject);
        final double ratio = topo / base;
        final double launchRatio = Stats.median(subjectLaunch) / Stats.median(baselineLaunch);
        return Result.of("topology")
                .put("events", fleet.events())
                .put("fleet", Map.of("clusters", CLUSTERS, "nodes", NODES, "services", SERVICES, "incidents", true))
                .put("expectedAlerts", fleet.expectedAlerts())
                .put("passThroughEventsPerSecond", base)
                .put("topologyEventsPerSecond", topo)
                .put("ratio", ratio)
                .put("passThroughLaunchToDoneEventsPerSecond", Stats.median(baselineLaunch))
                .put("topologyLaunchToDoneEventsPerSecond", Stats.median(subjectLaunch))
                .put("launchToDoneRatio", launchRatio)
                .put("target", 0.5)
                .put("targetMet", ratio >= 0.5)
                .put("rounds", rounds)
                .summary(String.format(Locale.ROOT, "topology: %,.0f events/s vs pass-through %,.0f events/s "
                        + "(EOS, %,d events, steady, median of %d rounds each): ratio %.2f (target >= 0.5; launch to "
                        + "done %.2f), alerts %d = analyze", topo, base, fleet.events(), baseline.size(), ratio,
                        launchRatio, fleet.expectedAlerts()));
    }

    /** Generates the fleet, publishes it once under fresh topics, and counts analyze's alerts over it. */
    static Published publish(final BenchRun run, final long events, final int clusters, final int partitions) {
        final Topics topics = run.kafka().topics(run.fresh("fleet") + ".", partitions);
        final long start = System.nanoTime();
        final long published;
        try (InputPublisher publisher = new InputPublisher(run.kafka().client(), topics)) {
            published = fleet(clusters).generate(events, publisher::publish);
            publisher.flush();
        }
        final AtomicLong alerts = new AtomicLong();
        final Detector detector = new Detector(DetectionSettings.defaults(), new InMemoryState(), new DetectionSink() {
            @Override
            public void alert(final Alert alert) {
                alerts.incrementAndGet();
            }
        });
        fleet(clusters).generate(events, detector::accept);
        detector.finish();
        run.progress("published %,d fleet events (%d clusters) in %.1f s; analyze finds %d alert transitions",
                published, clusters, (System.nanoTime() - start) / 1e9, alerts.get());
        return new Published(topics, published, alerts.get());
    }

    /** The same fleet every time: a seed, so a second generation gives the same events. */
    static FleetRecording fleet(final int clusters) {
        return new FleetRecording(42, clusters, NODES, SERVICES, true);
    }

    /**
     * One round's figures: events/s from launch to caught up, and steady (from the group's first commit to its
     * last, over the records in between: without start-up, group join and the creation of changelogs).
     */
    record Rate(double launchToDone, double steady, double startSeconds) {
    }

    static Rate rate(final long events, final long launch, final BenchKafka.Progress progress) {
        final double total = (progress.doneNanos() - launch) / 1e9;
        final double steadySeconds = (progress.doneNanos() - progress.firstCommitNanos()) / 1e9;
        final long steadyRecords = events - progress.firstCommitRecords();
        return new Rate(events / total, steadySeconds > 0.2 && steadyRecords > 0 ? steadyRecords / steadySeconds
                : events / total, (progress.firstCommitNanos() - launch) / 1e9);
    }

    /** One round of the detection topology with a fresh application id. */
    static Rate topology(final BenchRun run, final Published fleet, final int threads) {
        final String appId = run.fresh("detect");
        final StreamsSettings settings = StreamsSettings.of(run.kafka().client(), fleet.topics())
                .withApplicationId(appId)
                .withStateDir(run.scratch("detect-state"))
                .withThreads(threads);
        final Map<TopicPartition, Long> alertsBefore = run.kafka().endOffsets(List.of(fleet.topics().alerts()));
        final long start = System.nanoTime();
        final BenchKafka.Progress progress;
        try (VipwatchStreams streams = VipwatchStreams.start(settings)) {
            progress = run.kafka().awaitCommitted(appId, fleet.topics().inputs(), ROUND_TIMEOUT,
                    () -> StateBench.failed(streams));
            StateBench.leave(streams);
        }
        final long alerts = run.kafka().read(fleet.topics().alerts(), alertsBefore, record -> { });
        if (alerts != fleet.expectedAlerts()) {
            throw new IllegalStateException("the topology wrote " + alerts + " alert transitions where analyze finds "
                    + fleet.expectedAlerts() + " in the same " + fleet.events() + " events (application " + appId + ")");
        }
        return rate(fleet.events(), start, progress);
    }

    /** One round of the pass-through: read, decode, re-encode, write; exactly-once; events/s to caught up. */
    static Rate passThrough(final BenchRun run, final Published fleet, final int threads) {
        final String appId = run.fresh("pass");
        final Topics topics = fleet.topics();
        final String output = topics.prefix() + "passthrough";
        run.kafka().createTopic(output, 3);
        final StreamsBuilder builder = new StreamsBuilder();
        KStream<String, byte[]> all = null;
        for (final String topic : topics.inputs()) {
            final String base = topic.substring(topics.prefix().length());
            final KStream<String, byte[]> stream = builder.stream(topic, Consumed.with(Serdes.String(),
                    Serdes.ByteArray())).mapValues(value -> value == null ? null
                            : InputCodec.encode(InputCodec.decode(base, value)));
            all = all == null ? stream : all.merge(stream);
        }
        all.to(output, Produced.with(Serdes.String(), Serdes.ByteArray()));
        final Properties props = run.kafka().client();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
        props.put(StreamsConfig.STATE_DIR_CONFIG, run.scratch("pass-state").toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
        final long start = System.nanoTime();
        final BenchKafka.Progress progress;
        try (KafkaStreams streams = new KafkaStreams(builder.build(), props)) {
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            streams.setUncaughtExceptionHandler(e -> {
                failure.compareAndSet(null, e);
                return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            });
            streams.start();
            progress = run.kafka().awaitCommitted(appId, topics.inputs(), ROUND_TIMEOUT, () -> {
                if (failure.get() != null) {
                    throw new IllegalStateException("the pass-through failed: " + failure.get(), failure.get());
                }
            });
            streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(Duration.ofSeconds(30)));
        }
        return rate(fleet.events(), start, progress);
    }
}
