package io.vipwatch.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.vipwatch.schemas.Topics;
import io.vipwatch.schemas.event.Heartbeat;
import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.schemas.event.NodeAddresses;
import io.vipwatch.schemas.event.ServiceChange;
import io.vipwatch.schemas.publish.InputPublisher;
import io.vipwatch.schemas.serde.InputCodec;
import io.vipwatch.testkit.KafkaTestCluster;
import io.vipwatch.testkit.Poll;
import io.vipwatch.testkit.WithKafka;

/**
 * The input publisher (replay and collectors) is idempotent with one request in flight: writing to topics created a
 * moment before, before their partitions have settled, it neither stalls (KAFKA-15591's OUT_OF_ORDER_SEQUENCE) nor
 * writes anything twice. Many rounds, fresh topics each, on the real broker.
 */
@WithKafka
class InputPublisherIT {

    private static final int ROUNDS = 10;
    private static final int PARTITIONS = 3;
    private static final int EVENTS_PER_CLUSTER = 60;
    private static final List<String> CLUSTERS = List.of("prod-eu-1", "prod-eu-2", "prod-us-1", "staging", "lab");
    private static final Duration FLUSH_BOUND = Duration.ofSeconds(30);

    private static final ExecutorService FLUSHER = Executors.newSingleThreadExecutor();

    @AfterAll
    static void stopFlusher() {
        FLUSHER.shutdownNow();
    }

    @Test
    void publishesToJustCreatedTopicsWithoutStallingOrDuplicating(final KafkaTestCluster kafka) throws Exception {
        final Properties client = new Properties();
        client.put("bootstrap.servers", kafka.bootstrapServers());
        for (int round = 0; round < ROUNDS; round++) {
            final Topics topics = Topics.withPrefix(kafka.topicPrefix() + "r" + round + ".");
            final List<String> inputs = List.of(topics.services(), topics.nodeAddresses(), topics.heartbeats());
            // created, not waited for: the producer meets partitions whose leaders are still being elected
            kafka.admin().createTopics(inputs.stream().map(name -> new NewTopic(name, PARTITIONS, (short) 1)).toList())
                    .all().get(30, TimeUnit.SECONDS);
            final List<InputEvent> events = events(round);

            final long started = System.nanoTime();
            try (InputPublisher publisher = new InputPublisher(client, topics)) {
                final Future<?> flushed = FLUSHER.submit(() -> {
                    events.forEach(publisher::publish);
                    publisher.flush();
                });
                flushed.get(FLUSH_BOUND.toMillis(), TimeUnit.MILLISECONDS); // a stall fails here
                assertThat(publisher.sent()).isEqualTo(events.size());
            }
            final Duration took = Duration.ofNanos(System.nanoTime() - started);

            final Map<TopicPartition, Long> ends = endOffsets(kafka.admin(), inputs);
            assertThat(ends.values().stream().mapToLong(Long::longValue).sum())
                    .as("round %d: records on the broker, duplicates included (took %s)", round, took)
                    .isEqualTo(events.size());
            final Set<String> ids = new HashSet<>();
            for (final ConsumerRecord<String, byte[]> record : readAll(kafka, ends)) {
                final String base = record.topic().substring(topics.prefix().length());
                ids.add(InputCodec.decode(base, record.value()).eventId());
            }
            assertThat(ids).as("round %d: every event written once", round)
                    .isEqualTo(events.stream().map(InputEvent::eventId).collect(Collectors.toSet()));
        }
    }

    /** Every record up to the end offsets, with one consumer. */
    private static List<ConsumerRecord<String, byte[]>> readAll(final KafkaTestCluster kafka,
            final Map<TopicPartition, Long> ends) {
        final Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10");
        final List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(ends.keySet());
            consumer.seekToBeginning(ends.keySet());
            Poll.until("every record read", FLUSH_BOUND, () -> {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
                return ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
            });
        }
        return records;
    }

    /** The end offset of every partition: on a topic without transactions, the number of records ever written. */
    private static Map<TopicPartition, Long> endOffsets(final Admin admin, final List<String> topics)
            throws Exception {
        final Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (final String topic : topics) {
            for (int p = 0; p < PARTITIONS; p++) {
                request.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
        }
        final Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(request).all().get(30, TimeUnit.SECONDS).forEach((tp, info) -> ends.put(tp, info.offset()));
        return ends;
    }

    private static List<InputEvent> events(final int round) {
        final List<InputEvent> events = new ArrayList<>();
        for (final String cluster : CLUSTERS) {
            for (int i = 0; i < EVENTS_PER_CLUSTER; i++) {
                final String id = round + "-" + cluster + "-" + i;
                final long at = 1_000L * i;
                events.add(switch (i % 3) {
                    case 0 -> new Heartbeat(cluster, at, "collector/" + cluster, id, null, 10_000);
                    case 1 -> new NodeAddresses(cluster, at, "node-agent/" + cluster + "/n" + i, id, "n" + i,
                            List.of(new NodeAddresses.Address("eth0", "192.0.2." + (i % 250 + 1), 24)), false);
                    default -> new ServiceChange(cluster, at, "collector/" + cluster, id, ServiceChange.Op.UPSERT,
                            "default", "web-" + i, "uid-" + i, "1", "LoadBalancer", null,
                            List.of("198.51.100." + (i % 250 + 1)), List.of(), "Cluster", Map.of());
                });
            }
        }
        return events;
    }
}
