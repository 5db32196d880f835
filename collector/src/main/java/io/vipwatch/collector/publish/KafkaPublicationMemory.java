package io.vipwatch.collector.publish;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vipwatch.schemas.ClusterPartitioning;
import io.vipwatch.schemas.Topics;
import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.schemas.publish.InputPublisher;
import io.vipwatch.schemas.serde.InputCodec;

/**
 * The API collector's memory when it publishes to Kafka: the compacted topic {@code vipwatch.collector-state.v1},
 * key {@code cluster/identity}, value the event last published for that object, a tombstone once it is taken back
 * — the way Kafka Connect keeps a source's offsets. Written through the collector's own producer after its input
 * events were acknowledged; read back from the cluster's partition when the collector starts. Compaction keeps it
 * at about one record per live object, so a start reads little, whatever the age of the fleet.
 */
public final class KafkaPublicationMemory implements PublicationMemory {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaPublicationMemory.class);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private final Properties client;
    private final String topic;
    private final String cluster;
    private final InputPublisher publisher;
    private final Clock clock;

    public KafkaPublicationMemory(final Properties client, final Topics topics, final String cluster,
            final InputPublisher publisher, final Clock clock) {
        this.client = client;
        this.topic = topics.collectorState();
        this.cluster = cluster;
        this.publisher = publisher;
        this.clock = clock;
    }

    /** @throws IllegalStateException naming the topic when it is missing or cannot be read */
    @Override
    public List<InputEvent> load() {
        final Properties props = new Properties();
        props.putAll(client);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "vipwatch-collector-memory-" + cluster);
        final String prefix = cluster + "/";
        // identity -> last value read; the last record of a key wins, as compaction would leave it
        final Map<String, ConsumerRecord<String, byte[]>> latest = new LinkedHashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            final List<PartitionInfo> partitions = consumer.partitionsFor(topic, READ_TIMEOUT);
            if (partitions == null || partitions.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " does not exist: the collector keeps what it "
                        + "published there; create it (compacted), e.g. with vipwatch streams --create-topics N");
            }
            final TopicPartition partition = new TopicPartition(topic,
                    ClusterPartitioning.partitionOf(cluster, partitions.size()));
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            final long end = consumer.endOffsets(List.of(partition), READ_TIMEOUT).get(partition);
            final long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (consumer.position(partition, READ_TIMEOUT) < end) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("reading " + partition + " up to offset " + end + " took more than "
                            + READ_TIMEOUT);
                }
                for (final ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.key() != null && record.key().startsWith(prefix)) {
                        latest.remove(record.key().substring(prefix.length()));
                        latest.put(record.key().substring(prefix.length()), record);
                    }
                }
            }
        } catch (final KafkaException e) {
            throw new IllegalStateException("cannot read " + topic + ": " + e.getMessage(), e);
        }
        final List<InputEvent> events = new ArrayList<>();
        latest.forEach((identity, record) -> {
            if (record.value() != null) {
                final InputEvent event = decode(identity, record);
                if (event != null) {
                    events.add(event);
                }
            }
        });
        return events;
    }

    private InputEvent decode(final String identity, final ConsumerRecord<String, byte[]> record) {
        final String baseTopic = identity.startsWith(PublishedState.SERVICE) ? Topics.SERVICES
                : identity.startsWith(PublishedState.ANNOUNCEMENT) ? Topics.ANNOUNCEMENTS
                : identity.startsWith(PublishedState.NODE) ? Topics.NODES : null;
        try {
            if (baseTopic == null) {
                throw new IllegalArgumentException("unknown identity " + identity);
            }
            final InputEvent event = InputCodec.decode(baseTopic, record.value());
            if (!cluster.equals(event.cluster()) || !identity.equals(PublishedState.identity(event))) {
                throw new IllegalArgumentException("the value is " + PublishedState.identity(event) + " of cluster "
                        + event.cluster());
            }
            return event;
        } catch (final RuntimeException e) {
            // one bad record costs at most a repeated event or a missed deletion of that object, not the collector
            LOG.warn("{}-{} offset {} key {}: skipped, not a remembered event: {}", record.topic(), record.partition(),
                    record.offset(), record.key(), e.getMessage());
            return null;
        }
    }

    @Override
    public void save(final Map<String, InputEvent> changes, final PublishedState all) {
        final long now = clock.millis();
        changes.forEach((identity, event) -> publisher.send(topic, cluster, cluster + "/" + identity, now,
                event == null ? null : InputCodec.encode(event)));
    }

    @Override
    public String describe() {
        return "the topic " + topic;
    }

    @Override
    public void close() {
    }
}
