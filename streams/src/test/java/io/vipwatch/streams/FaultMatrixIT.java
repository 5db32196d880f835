package io.vipwatch.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vipwatch.embedded.EmbeddedKafka;
import io.vipwatch.schemas.ClusterPartitioning;
import io.vipwatch.schemas.Topics;
import io.vipwatch.schemas.avro.Alert;
import io.vipwatch.schemas.avro.OwnershipChange;
import io.vipwatch.schemas.event.AnnouncementChange;
import io.vipwatch.schemas.event.Heartbeat;
import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.schemas.event.NodeAddresses;
import io.vipwatch.schemas.event.NodeFacts;
import io.vipwatch.schemas.event.ServiceChange;
import io.vipwatch.schemas.publish.InputPublisher;
import io.vipwatch.schemas.serde.AvroSerdes;
import io.vipwatch.schemas.serde.InputCodec;
import io.vipwatch.streams.core.AlertJson;
import io.vipwatch.streams.fleet.FleetRecording;
import io.vipwatch.streams.internal.AvroOutputs;
import io.vipwatch.testkit.KafkaTestCluster;
import io.vipwatch.testkit.Poll;
import io.vipwatch.testkit.WithKafka;

/**
 * The fault matrix of the detection pipeline (docs/reliability.md), on the real broker: a multi-cluster recording
 * with incidents (a kube-vip conflict, a duplicate speaker, a flapping Service, a silent agent) goes through the
 * streams topology while a fault strikes, and the alerts on {@code vipwatch.alerts.v1} must be exactly the lines
 * {@code vipwatch analyze} prints for the same recording: none lost, none twice (by eventId), none false, each at
 * its event time. Every test reads the output only after the application has committed the end of every input
 * partition, so a late duplicate would be seen too.
 */
@WithKafka
class FaultMatrixIT {

    private static final Logger LOG = LoggerFactory.getLogger(FaultMatrixIT.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(180);
    private static final int PARTITIONS = 3;
    private static final Duration BROKER_OUTAGE = Duration.ofSeconds(10);
    /** {@code -Dvipwatch.faults.max-task-idle-ms=0} runs the matrix with what the topology used before. */
    private static final String IDLE = System.getProperty("vipwatch.faults.max-task-idle-ms");
    /** {@code -Dvipwatch.faults.max-poll-records=N} runs the matrix with N records per poll (default 1000). */
    private static final String POLL_RECORDS = System.getProperty("vipwatch.faults.max-poll-records");
    private static final Duration OUTAGE_EVENTS = Duration.ofSeconds(5);

    @TempDir
    static Path dir;
    static List<InputEvent> events;
    static List<String> expected;

    @BeforeAll
    static void analyzeTheRecording() {
        // 4 clusters; cluster-0 has the kube-vip conflict, a duplicate speaker, a flapping Service, a silent agent
        events = new FleetRecording(29, 4, 8, 10, true).events(12_000);
        expected = analyze("fleet.jsonl", events);
        assertThat(expected).as("the recording has alerts").hasSizeGreaterThan(5);
    }

    /** Broker stopped mid-stream and restarted on the same data directory, under a publisher and an instance. */
    @Test
    void brokerStoppedAndRestartedMidStream(final KafkaTestCluster kafka) throws Exception {
        assumeTrue(kafka.embeddedBroker().isPresent(), "needs the in-JVM broker to stop it");
        final EmbeddedKafka broker = kafka.embeddedBroker().orElseThrow();
        final Topics topics = kafka.createVipwatchTopics("broker.", PARTITIONS);
        final int half = events.size() / 2;
        // what a live fleet sends while the broker is down: a few seconds of events, buffered by the producer
        final long outageEnd = events.get(half).observedAt() + OUTAGE_EVENTS.toMillis();
        int resume = half;
        while (events.get(resume).observedAt() < outageEnd) {
            resume++;
        }
        final List<InputEvent> duringOutage = events.subList(half, resume);

        try (VipwatchStreams streams = VipwatchStreams.start(settings(kafka, topics, "broker-a"));
                InputPublisher publisher = new InputPublisher(publisherClient(kafka), topics)) {
            publish(publisher, events.subList(0, half));
            final int before = awaitSomeAlerts(kafka, topics);

            broker.stop();
            final long down = System.nanoTime();
            final CompletableFuture<Void> buffered = CompletableFuture.runAsync(() -> {
                duringOutage.forEach(publisher::publish);
                publisher.flush();
            });
            Poll.until("a broker outage of " + BROKER_OUTAGE, BROKER_OUTAGE.plusSeconds(10),
                    () -> Duration.ofNanos(System.nanoTime() - down), elapsed -> elapsed.compareTo(BROKER_OUTAGE) >= 0);
            assertThat(buffered).as("nothing can be acknowledged while the broker is down").isNotDone();
            broker.restart();
            final long restarted = System.nanoTime();
            buffered.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            LOG.info("broker outage: {} alerts before, {} events buffered by the publisher, acknowledged {} ms after"
                    + " the restart", before, duringOutage.size(), millisSince(restarted));
            publish(publisher, events.subList(resume, events.size()));

            assertThat(inputRecords(kafka, topics)).as("input records, each published once").isEqualTo(events.size());
            assertCaughtUpWithAnalyzesAlerts(kafka, topics, settings(kafka, topics, "unused").applicationId(),
                    streams);
        } finally {
            if (!broker.isRunning()) {
                broker.restart();
            }
        }
    }

    /**
     * A second and a third instance join while grace timers and flap decays are due, then leave again; the group
     * hands their tasks back at once because an instance leaves the group on close.
     */
    @Test
    void instancesJoinAndLeaveWhileTimersAreDue(final KafkaTestCluster kafka) throws Exception {
        final Topics topics = kafka.createVipwatchTopics("rebalance.", PARTITIONS);
        final String applicationId = settings(kafka, topics, "unused").applicationId();
        final int third = events.size() / 3; // events
        // the default session timeout (45 s): a member that left without saying so would hold its tasks that long
        final Properties client = new Properties();
        client.put("bootstrap.servers", kafka.bootstrapServers());
        try (InputPublisher publisher = new InputPublisher(publisherClient(kafka), topics);
                VipwatchStreams first = VipwatchStreams.start(settings(client, topics, "join-1"))) {
            publish(publisher, events.subList(0, third));
            final int atFirstJoin = awaitSomeAlerts(kafka, topics);
            try (VipwatchStreams second = VipwatchStreams.start(settings(client, topics, "join-2"))) {
                publish(publisher, events.subList(third, 2 * third));
                try (VipwatchStreams thirdInstance = VipwatchStreams.start(settings(client, topics, "join-3"))) {
                    publish(publisher, events.subList(2 * third, events.size()));
                    awaitMembers(kafka, applicationId, 3);
                }
                final long left = System.nanoTime();
                awaitMembers(kafka, applicationId, 2);
                LOG.info("third instance left the group after {} ms", millisSince(left));
            }
            final long left = System.nanoTime();
            final int members = awaitMembers(kafka, applicationId, 1);
            final long handover = millisSince(left);
            LOG.info("rebalance: {} alerts at the first join; second instance left the group after {} ms", atFirstJoin,
                    handover);
            assertThat(members).isEqualTo(1);
            assertThat(handover).as("left the group well before the 45 s session timeout").isLessThan(20_000);

            assertCaughtUpWithAnalyzesAlerts(kafka, topics, applicationId, first);
        }
    }

    /**
     * The recording arrives in three bursts, each after the application has caught up and sat idle: each burst
     * becomes readable on every input topic at once (one transaction), the way a fleet's backlog reaches the topology
     * after a network partition heals. Each burst must still be read in time order across the topics.
     */
    @Test
    void burstsAfterQuietSpellsAreReadInTimeOrder(final KafkaTestCluster kafka) throws Exception {
        final Topics topics = kafka.createVipwatchTopics("burst.", PARTITIONS);
        final String applicationId = settings(kafka, topics, "unused").applicationId();
        final int third = events.size() / 3;
        try (VipwatchStreams streams = VipwatchStreams.start(settings(kafka, topics, "burst"))) {
            for (final List<InputEvent> burst : List.of(events.subList(0, third), events.subList(third, 2 * third),
                    events.subList(2 * third, events.size()))) {
                publishAtomically(kafka, topics, burst);
                awaitCaughtUp(kafka, topics, applicationId);
            }
            assertCaughtUpWithAnalyzesAlerts(kafka, topics, applicationId, streams);
        }
    }

    /**
     * 50 clusters' collectors all restart at once and resend everything they know (every live Service, announcement,
     * node and address set): nothing changed, so no alert and no ownership change.
     */
    @Test
    void aResyncStormOf50ClustersPagesNoOneAndChangesNoOwner(final KafkaTestCluster kafka) throws Exception {
        final List<InputEvent> fleet = new FleetRecording(31, 50, 5, 4, false).events(11_000);
        final long stormAt = fleet.get(fleet.size() - 1).observedAt() + 1_000;
        final List<InputEvent> storm = resync(fleet, stormAt);
        final List<InputEvent> after = heartbeats(fleet, stormAt + 5_000, 20);
        final List<InputEvent> all = new ArrayList<>(fleet);
        all.addAll(storm);
        all.addAll(after);
        assertThat(analyze("storm.jsonl", all)).as("analyze of the storm recording").isEmpty();

        final Topics topics = kafka.createVipwatchTopics("storm.", PARTITIONS);
        final String applicationId = settings(kafka, topics, "unused").applicationId();
        try (VipwatchStreams streams = VipwatchStreams.start(settings(kafka, topics, "storm"));
                InputPublisher publisher = new InputPublisher(publisherClient(kafka), topics)) {
            publish(publisher, fleet);
            awaitCaughtUp(kafka, topics, applicationId);
            // every collector's relist at once, then the fleet's heartbeats go on
            final List<InputEvent> rest = new ArrayList<>(storm);
            rest.addAll(after);
            publish(publisher, rest);
            awaitCaughtUp(kafka, topics, applicationId);
            assertThat(streams.failure()).isNull();
        }
        final List<ConsumerRecord<String, OwnershipChange>> changes = readAll(kafka, topics.ownershipChanges(),
                AvroSerdes.ownershipChange());
        final long changesAfterStorm = changes.stream().filter(r -> r.value().getAt() >= stormAt).count();
        LOG.info("resync storm: {} events resent by 50 clusters at once, {} ownership changes before it, {} after",
                storm.size(), changes.size() - changesAfterStorm, changesAfterStorm);
        assertThat(storm).hasSizeGreaterThan(500);
        assertThat(changes).as("the fleet's own changes before the storm").isNotEmpty();
        assertThat(changesAfterStorm).as("ownership changes caused by the storm").isZero();
        assertThat(readAll(kafka, topics.alerts(), AvroSerdes.alert())).as("alerts").isEmpty();
    }

    /** What each cluster's collectors would publish on a full relist at {@code at}: the last state of every object. */
    private static List<InputEvent> resync(final List<InputEvent> fleet, final long at) {
        final Map<String, InputEvent> last = new LinkedHashMap<>();
        for (final InputEvent event : fleet) {
            if (event instanceof ServiceChange s) {
                last.put("svc/" + s.cluster() + "/" + s.namespace() + "/" + s.name(), s);
            } else if (event instanceof AnnouncementChange a) {
                last.put("ann/" + a.cluster() + "/" + a.namespace() + "/" + a.name() + "/" + a.announcer() + "/"
                        + a.node() + "/" + a.vip(), a);
            } else if (event instanceof NodeAddresses n) {
                last.put("addr/" + n.cluster() + "/" + n.node(), n);
            } else if (event instanceof NodeFacts n) {
                last.put("node/" + n.cluster() + "/" + n.node(), n);
            }
        }
        // deleted objects are not listed
        final List<InputEvent> storm = new ArrayList<>();
        for (final InputEvent event : last.values()) {
            final String id = UUID.randomUUID().toString();
            if (event instanceof ServiceChange s && s.op() == ServiceChange.Op.UPSERT) {
                storm.add(new ServiceChange(s.cluster(), at, s.source(), id, s.op(), s.namespace(), s.name(), s.uid(),
                        s.resourceVersion(), s.serviceType(), s.loadBalancerClass(), s.ingressIps(), s.requestedIps(),
                        s.externalTrafficPolicy(), s.annotations()));
            } else if (event instanceof AnnouncementChange a && a.op() == AnnouncementChange.Op.ANNOUNCE) {
                storm.add(new AnnouncementChange(a.cluster(), at, a.source(), id, a.op(), a.namespace(), a.name(),
                        a.announcer(), a.node(), a.vip(), a.interfaces(), a.evidence()));
            } else if (event instanceof NodeAddresses n && !n.deleted()) {
                storm.add(new NodeAddresses(n.cluster(), at, n.source(), id, n.node(), n.addresses(), false));
            } else if (event instanceof NodeFacts n && !n.deleted()) {
                storm.add(new NodeFacts(n.cluster(), at, n.source(), id, n.node(), n.roles(),
                        n.excludedFromLoadBalancers(), n.speakerEligible(), n.networkUnavailable(), n.kubeVip(), false));
            }
        }
        return storm;
    }

    /** {@code ticks} rounds, 10 s apart from {@code from}, of every source's heartbeat and node address snapshot. */
    private static List<InputEvent> heartbeats(final List<InputEvent> fleet, final long from, final int ticks) {
        final Map<String, InputEvent> lastBySource = new LinkedHashMap<>();
        for (final InputEvent event : fleet) {
            if (event instanceof Heartbeat h) {
                lastBySource.put("hb/" + h.key(), h);
            } else if (event instanceof NodeAddresses n) {
                lastBySource.put("addr/" + n.cluster() + "/" + n.node(), n);
            }
        }
        final List<InputEvent> out = new ArrayList<>();
        for (int tick = 0; tick < ticks; tick++) {
            final long at = from + tick * Heartbeat.DEFAULT_INTERVAL_MS;
            for (final InputEvent event : lastBySource.values()) {
                final String id = UUID.randomUUID().toString();
                if (event instanceof Heartbeat h) {
                    out.add(new Heartbeat(h.cluster(), at, h.source(), id, h.node(), h.intervalMs()));
                } else if (event instanceof NodeAddresses n && !n.deleted()) {
                    out.add(new NodeAddresses(n.cluster(), at, n.source(), id, n.node(), n.addresses(), false));
                }
            }
        }
        return out;
    }

    private static List<String> analyze(final String file, final List<InputEvent> recorded) {
        return Scenario.analyze(Scenario.writeRecording(dir.resolve(file), recorded));
    }

    /**
     * Once {@code applicationId} has committed the end of every input: the instance never failed, and the alerts are
     * analyze's, each once, and no ownership change is there twice.
     */
    private static void assertCaughtUpWithAnalyzesAlerts(final KafkaTestCluster kafka, final Topics topics,
            final String applicationId, final VipwatchStreams instance) {
        awaitCaughtUp(kafka, topics, applicationId);
        assertThat(instance.failure()).isNull();
        assertSameAlerts(readAll(kafka, topics.alerts(), AvroSerdes.alert()));
        assertNoDuplicateChanges(kafka, topics);
    }

    private static void assertSameAlerts(final List<ConsumerRecord<String, Alert>> alerts) {
        final List<String> lines = new ArrayList<>();
        alerts.forEach(r -> lines.add(AlertJson.format(AvroOutputs.transition(r.value()))));
        assertThat(alerts).extracting(r -> r.value().getEventId()).doesNotHaveDuplicates();
        assertThat(lines).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(alerts).allMatch(r -> r.key().equals(r.value().getFingerprint()));
    }

    private static void assertNoDuplicateChanges(final KafkaTestCluster kafka, final Topics topics) {
        final List<ConsumerRecord<String, OwnershipChange>> changes = readAll(kafka, topics.ownershipChanges(),
                AvroSerdes.ownershipChange());
        assertThat(changes).isNotEmpty();
        assertThat(changes).extracting(r -> r.value().getEventId()).doesNotHaveDuplicates();
    }

    private static Properties publisherClient(final KafkaTestCluster kafka) {
        final Properties client = new Properties();
        client.put("bootstrap.servers", kafka.bootstrapServers());
        return client;
    }

    /** Publishes {@code events} while the instances run, and waits until the broker has them all. */
    private static void publish(final InputPublisher publisher, final List<InputEvent> events) {
        events.forEach(publisher::publish);
        publisher.flush();
    }

    /** Publishes {@code events} in one transaction: a read_committed reader sees them all at once. */
    private static void publishAtomically(final KafkaTestCluster kafka, final Topics topics,
            final List<InputEvent> events) {
        final Properties props = InputPublisher.producerProperties(publisherClient(kafka));
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "burst-" + UUID.randomUUID());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            for (final InputEvent event : events) {
                producer.send(new ProducerRecord<>(topics.topicFor(event),
                        ClusterPartitioning.partitionOf(event.cluster(), PARTITIONS), event.observedAt(), event.key(),
                        InputCodec.encode(event)));
            }
            producer.commitTransaction();
        }
    }

    private static StreamsSettings settings(final KafkaTestCluster kafka, final Topics topics, final String stateName)
            throws IOException {
        return settings(kafka.groupMemberProps(), topics, stateName);
    }

    private static StreamsSettings settings(final Properties client, final Topics topics, final String stateName)
            throws IOException {
        final Properties streams = new Properties();
        streams.putAll(client);
        if (IDLE != null) {
            streams.put("max.task.idle.ms", IDLE);
        }
        if (POLL_RECORDS != null) {
            streams.put("max.poll.records", POLL_RECORDS);
        }
        return StreamsSettings.of(streams, topics)
                .withApplicationId(topics.prefix() + "streams")
                .withStateDir(Files.createDirectories(dir.resolve(stateName)))
                .withPunctuation(StreamsSettings.DEFAULT_PUNCTUATION_INTERVAL, false);
    }

    private static int awaitSomeAlerts(final KafkaTestCluster kafka, final Topics topics) {
        return kafka.consumeUntil(topics.alerts(), new StringDeserializer(), AvroSerdes.alert(),
                records -> !records.isEmpty(), TIMEOUT).size();
    }

    private static int awaitMembers(final KafkaTestCluster kafka, final String group, final int count) {
        return Poll.until(count + " members in group " + group, TIMEOUT,
                () -> kafka.admin().describeConsumerGroups(List.of(group)).describedGroups().get(group).get()
                        .members().size(),
                n -> n == count);
    }

    /** Waits until the application has committed the end offset of every input partition. */
    private static void awaitCaughtUp(final KafkaTestCluster kafka, final Topics topics, final String applicationId) {
        final Map<TopicPartition, Long> ends = endOffsets(kafka, topics.inputs());
        Poll.untilAsserted("application " + applicationId + " to commit the end of every input", TIMEOUT, () -> {
            final Map<TopicPartition, OffsetAndMetadata> committed = kafka.admin()
                    .listConsumerGroupOffsets(applicationId).partitionsToOffsetAndMetadata().get();
            final Map<TopicPartition, Long> behind = new HashMap<>();
            ends.forEach((p, end) -> {
                final long at = committed.get(p) == null ? 0L : committed.get(p).offset();
                if (at < end) { // a transaction's end offset is past its commit marker, which the application skips
                    behind.put(p, end - at);
                }
            });
            assertThat(behind).as("records behind on each input partition").isEmpty();
        });
    }

    private static long inputRecords(final KafkaTestCluster kafka, final Topics topics) {
        // the input publisher is idempotent but not transactional: end offsets count records
        return endOffsets(kafka, topics.inputs()).values().stream().mapToLong(Long::longValue).sum();
    }

    private static Map<TopicPartition, Long> endOffsets(final KafkaTestCluster kafka, final List<String> names) {
        final Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (final String topic : names) {
            for (int p = 0; p < PARTITIONS; p++) {
                request.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
        }
        try {
            final Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> info = kafka.admin()
                    .listOffsets(request).all().get();
            return info.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        } catch (final Exception e) {
            throw new IllegalStateException("could not list the end offsets of " + names, e);
        }
    }

    /** Every committed record of {@code topic}, read to the end of each partition. */
    private static <V> List<ConsumerRecord<String, V>> readAll(final KafkaTestCluster kafka, final String topic,
            final Deserializer<V> values) {
        final Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        final List<ConsumerRecord<String, V>> records = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(props, new StringDeserializer(), values)) {
            final List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                partitions.add(new TopicPartition(topic, p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            final Function<TopicPartition, Boolean> done = p -> consumer.position(p) >= ends.get(p);
            Poll.until("reading " + topic + " to its end", TIMEOUT, () -> {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
                return partitions.stream().allMatch(done::apply);
            });
        }
        return records;
    }

    private static long millisSince(final long nanoTime) {
        return Duration.ofNanos(System.nanoTime() - nanoTime).toMillis();
    }
}
