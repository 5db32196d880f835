package io.vipwatch.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.vipwatch.schemas.Topics;
import io.vipwatch.schemas.avro.Alert;
import io.vipwatch.schemas.event.AnnouncementChange;
import io.vipwatch.schemas.event.Heartbeat;
import io.vipwatch.schemas.event.NodeAddresses;
import io.vipwatch.schemas.event.NodeFacts;
import io.vipwatch.schemas.event.ServiceChange;
import io.vipwatch.schemas.publish.InputPublisher;
import io.vipwatch.schemas.serde.AvroSerdes;
import io.vipwatch.streams.StreamsSettings;
import io.vipwatch.streams.VipwatchStreams;
import io.vipwatch.streams.core.DetectionSettings;

/**
 * {@code latency}: the decision latency of the live topology under a steady background load. Every event carries
 * the wall clock as its {@code observedAt}, so an alert is due at a wall-clock moment (condition start + grace),
 * which is the alert's own {@code at}. Background: every node of every cluster sends address snapshots and
 * heartbeats, paced to the rate. Incidents: every 250 ms, the next cluster's {@code cp-1} binds its Service's VIP
 * (kube-vip with {@code svc_enable=true}: FOREIGN_BINDING, DUPLICATE_RESPONDERS, EXCLUDED_NODE_OWNER open at start +
 * grace) and unbinds it grace + 1 s later (they resolve at its end + grace). A read_committed consumer on the
 * alerts topic takes the wall time each alert record arrives; latency = arrival - {@code at}, for the alerts due
 * in the measured window (after a warm-up of a third of it; the load starts once the topology has committed the
 * set-up records, so its start-up is not measured). A topology that falls behind the load still delivers
 * them late: the run waits until it caught up, and the summary gives the input lag at the end of the load.
 */
final class LatencyBench {

    static final Duration GRACE = Duration.ofSeconds(2);
    private static final int NODES = 30;
    private static final long TICK_MS = 10;
    private static final long INCIDENT_EVERY_MS = 250;
    private static final String VIP = "198.51.100.10";

    private LatencyBench() {
    }

    /** What one latency run measured. */
    record Measured(double rate, double achievedRate, List<Double> latenciesMs, long lagAtEnd) {
        double p(final double p) {
            return Stats.percentile(latenciesMs, p);
        }
    }

    static Result run(final BenchRun run) {
        final Sizes sizes = run.sizes();
        final Measured m = measure(run, sizes.latencyRate(), sizes.latencyClusters(), sizes.latencySeconds(), 1);
        final double p99 = m.p(0.99);
        return Result.of("latency")
                .put("rateTarget", m.rate())
                .put("rateAchieved", m.achievedRate())
                .put("clusters", sizes.latencyClusters())
                .put("nodesPerCluster", NODES)
                .put("graceMs", GRACE.toMillis())
                .put("measuredSeconds", sizes.latencySeconds())
                .put("alerts", m.latenciesMs().size())
                .put("p50Ms", m.p(0.50))
                .put("p99Ms", p99)
                .put("maxMs", Stats.max(m.latenciesMs()))
                .put("inputLagAtEnd", m.lagAtEnd())
                .put("commitIntervalMs", 100)
                .put("punctuationIntervalMs", StreamsSettings.DEFAULT_PUNCTUATION_INTERVAL.toMillis())
                .put("target", 250)
                .put("targetMet", p99 <= 250)
                .summary(String.format(Locale.ROOT, "latency: decision p50 %.0f ms, p99 %.0f ms, max %.0f ms over %d "
                        + "alerts at %,.0f events/s (asked %,d; %d clusters x %d nodes; input lag at the end %,d; "
                        + "target p99 <= 250 ms)", m.p(0.50), p99, Stats.max(m.latenciesMs()), m.latenciesMs().size(),
                        m.achievedRate(), (int) m.rate(), sizes.latencyClusters(), NODES, m.lagAtEnd()));
    }

    /** Runs the topology under {@code rate} events/s for warm-up (a third of the time) plus {@code seconds}. */
    static Measured measure(final BenchRun run, final int rate, final int clusters, final int seconds,
            final int threads) {
        final Topics topics = run.kafka().topics(run.fresh("latency") + ".", 3);
        final String appId = run.fresh("latency-app");
        final StreamsSettings settings = StreamsSettings.of(run.kafka().client(), topics)
                .withApplicationId(appId)
                .withStateDir(run.scratch("latency-state"))
                .withThreads(threads)
                .withDetection(DetectionSettings.defaults().withGrace(GRACE));
        final List<long[]> latencies = Collections.synchronizedList(new ArrayList<>()); // {due, arrived}
        final AtomicBoolean stop = new AtomicBoolean();
        final long warmUpMs = Math.max(2_000, seconds * 1000L / 3);
        final long[] achieved = new long[2];
        try (InputPublisher publisher = new InputPublisher(run.kafka().client(), topics)) {
            final long setupAt = System.currentTimeMillis();
            for (int c = 0; c < clusters; c++) {
                setUp(publisher, cluster(c), setupAt);
            }
            publisher.flush();
            try (VipwatchStreams streams = VipwatchStreams.start(settings)) {
                // the load starts once the topology has committed the set-up: RUNNING comes before the tasks have
                // created their changelogs and read anything, and on a loaded machine that start-up outlasted the
                // warm-up, so the window measured the start-up backlog instead of steady decisions
                run.kafka().awaitCommitted(appId, topics.inputs(), Duration.ofMinutes(2),
                        () -> StateBench.failed(streams));
                final Thread reader = new Thread(() -> readAlerts(run, topics, stop, latencies), "bench-alerts");
                reader.start();
                final long start = System.currentTimeMillis();
                final long measureFrom = start + warmUpMs;
                final long end = measureFrom + seconds * 1000L;
                achieved[0] = load(publisher, clusters, rate, start, measureFrom, end, streams);
                achieved[1] = end - measureFrom;
                publisher.flush();
                // a topology that fell behind still owes alerts due in the window: wait until it caught up, then
                // for the wall clock to fire what is due by then
                final long lagAtEnd = lag(run, appId, topics);
                run.kafka().awaitCommitted(appId, topics.inputs(), Duration.ofMinutes(5),
                        () -> StateBench.failed(streams));
                BenchKafka.pause(GRACE.plusMillis(1_500));
                stop.set(true);
                try {
                    reader.join(10_000);
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                final List<Double> measured = new ArrayList<>();
                synchronized (latencies) {
                    for (final long[] sample : latencies) {
                        if (sample[0] >= measureFrom && sample[0] < end) { // due within the measured window
                            measured.add((double) (sample[1] - sample[0]));
                        }
                    }
                }
                StateBench.leave(streams);
                return new Measured(rate, achieved[0] * 1000.0 / achieved[1], measured, lagAtEnd);
            }
        }
    }

    /** Input records not yet committed by the application at the end of the run. */
    private static long lag(final BenchRun run, final String appId, final Topics topics) {
        final Map<TopicPartition, Long> ends = run.kafka().endOffsets(topics.inputs());
        try {
            final var committed = run.kafka().admin().listConsumerGroupOffsets(appId).partitionsToOffsetAndMetadata()
                    .get();
            long lag = 0;
            for (final var end : ends.entrySet()) {
                final var at = committed.get(end.getKey());
                lag += end.getValue() - (at == null ? 0 : at.offset());
            }
            return lag;
        } catch (final Exception e) {
            return -1;
        }
    }

    /**
     * Publishes the background load and the incidents until {@code end}; returns the events published between
     * {@code measureFrom} and {@code end}.
     */
    private static long load(final InputPublisher publisher, final int clusters, final int rate, final long start,
            final long measureFrom, final long end, final VipwatchStreams streams) {
        final double perTick = rate * TICK_MS / 1000.0;
        final long[] incidentEnds = new long[clusters]; // cluster index -> wall time to unbind, 0 when none
        double owed = 0;
        long cursor = 0; // position in the rotation over (cluster, node, kind)
        long measured = 0;
        long nextIncident = start;
        int nextCluster = 0;
        for (long tick = start; tick < end; tick += TICK_MS) {
            final long now = System.currentTimeMillis();
            if (now < tick) {
                BenchKafka.pause(Duration.ofMillis(tick - now));
            }
            if (streams.failure() != null) {
                throw new IllegalStateException("the topology failed: " + streams.failure(), streams.failure());
            }
            final long wall = System.currentTimeMillis();
            owed += perTick;
            while (owed >= 1) {
                owed--;
                final int slot = (int) (cursor++ % ((long) clusters * NODES * 2));
                final int c = slot / (NODES * 2);
                final int n = (slot / 2) % NODES;
                if (slot % 2 == 0) {
                    publisher.publish(n == 0 ? new Heartbeat(cluster(c), wall, "collector/" + cluster(c), id(),
                            null, 10_000) : snapshot(cluster(c), n, wall, false));
                } else {
                    publisher.publish(new Heartbeat(cluster(c), wall, "agent/" + node(n), id(), node(n), 10_000));
                }
                if (wall >= measureFrom) {
                    measured++;
                }
            }
            for (int c = 0; c < clusters; c++) {
                if (incidentEnds[c] != 0 && wall >= incidentEnds[c]) {
                    publisher.publish(snapshot(cluster(c), 0, wall, false));
                    incidentEnds[c] = 0;
                }
            }
            if (wall >= nextIncident && wall < end - GRACE.toMillis()) {
                nextIncident += INCIDENT_EVERY_MS;
                for (int tries = 0; tries < clusters; tries++) {
                    final int c = nextCluster;
                    nextCluster = (nextCluster + 1) % clusters;
                    if (incidentEnds[c] == 0) {
                        publisher.publish(snapshot(cluster(c), 0, wall, true));
                        incidentEnds[c] = wall + GRACE.toMillis() + 1_000;
                        break;
                    }
                }
            }
        }
        return measured;
    }

    private static void readAlerts(final BenchRun run, final Topics topics, final AtomicBoolean stop,
            final List<long[]> latencies) {
        final Properties props = run.kafka().client();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10");
        try (KafkaConsumer<String, Alert> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                AvroSerdes.alert().deserializer())) {
            final List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topics.alerts()).forEach(p -> partitions.add(new TopicPartition(p.topic(),
                    p.partition())));
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            while (!stop.get()) {
                for (final ConsumerRecord<String, Alert> record : consumer.poll(Duration.ofMillis(20))) {
                    final long arrived = System.currentTimeMillis();
                    latencies.add(new long[] {record.value().getAt(), arrived});
                }
            }
        }
    }

    private static void setUp(final InputPublisher publisher, final String cluster, final long at) {
        for (int n = 0; n < NODES; n++) {
            publisher.publish(n == 0
                    ? new NodeFacts(cluster, at, "collector/" + cluster, id(), node(n), List.of("control-plane"),
                            true, false, false, new NodeFacts.KubeVip(true, true, "eth0", true,
                                    "kube-system/kube-vip-cp-1", "ghcr.io/kube-vip/kube-vip:v0.8.0"), false)
                    : new NodeFacts(cluster, at, "collector/" + cluster, id(), node(n), List.of("worker"), false,
                            true, false, null, false));
            publisher.publish(snapshot(cluster, n, at, false));
        }
        publisher.publish(new ServiceChange(cluster, at, "collector/" + cluster, id(), ServiceChange.Op.UPSERT,
                "default", "web", "uid-web", null, "LoadBalancer", null, List.of(VIP), List.of(), "Cluster",
                Map.of("metallb.io/ip-allocated-from-pool", "pool-a")));
        publisher.publish(new AnnouncementChange(cluster, at, "collector/" + cluster, id(),
                AnnouncementChange.Op.ANNOUNCE, "default", "web", AnnouncementChange.Announcer.METALLB_L2, node(1), null,
                List.of(), new AnnouncementChange.Evidence("SERVICE_L2_STATUS", "metallb-system/l2-web", null)));
    }

    /** Node {@code n}'s snapshot; node 0 ({@code cp-1}) with the Service's VIP bound when {@code bound}. */
    private static NodeAddresses snapshot(final String cluster, final int n, final long at, final boolean bound) {
        final List<NodeAddresses.Address> addresses = new ArrayList<>();
        addresses.add(new NodeAddresses.Address("eth0", "192.0.2." + (n + 1), 24));
        if (bound) {
            addresses.add(new NodeAddresses.Address("eth0", VIP, 32));
        }
        return new NodeAddresses(cluster, at, "agent/" + node(n), id(), node(n), addresses, false);
    }

    static String cluster(final int c) {
        return "lat-" + c;
    }

    private static String node(final int n) {
        return n == 0 ? "cp-1" : "worker-" + n;
    }

    private static final long RUN_BITS = UUID.randomUUID().getMostSignificantBits();
    private static final AtomicLong IDS = new AtomicLong();

    private static String id() {
        return new UUID(RUN_BITS, IDS.incrementAndGet()).toString();
    }
}
