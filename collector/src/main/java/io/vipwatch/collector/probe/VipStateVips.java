package io.vipwatch.collector.probe;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vipwatch.schemas.avro.VipState;
import io.vipwatch.schemas.serde.AvroSerde;
import io.vipwatch.schemas.serde.AvroSerdes;

/**
 * The VIPs a Service of the cluster claims, read from the compacted topic {@code vipwatch.vip-state.v1} (key
 * {@code cluster/ip}, written by the topology): every partition from the beginning, no consumer group, then
 * followed. A VIP is in the set while its latest state has a claim; a tombstone or a state without claims takes it
 * out. The first set is handed on once the partitions are read up to their end at start. The node agent so needs
 * read access to one topic and no Kubernetes credentials. A record that cannot be decoded is skipped with a warning
 * naming topic, partition and offset.
 */
public final class VipStateVips implements VipSource {

    private static final Logger LOG = LoggerFactory.getLogger(VipStateVips.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final long TOPIC_RETRY_MS = 5_000;

    private final Properties clientProperties;
    private final String topic;
    private final String cluster;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile boolean running = true;
    private Thread thread;

    public VipStateVips(final Properties clientProperties, final String topic, final String cluster) {
        this.clientProperties = clientProperties;
        this.topic = topic;
        this.cluster = cluster;
    }

    @Override
    public synchronized void start(final Consumer<Set<String>> onChange) {
        thread = new Thread(() -> follow(onChange), "vipwatch-vip-state");
        thread.setDaemon(true);
        thread.start();
    }

    /** Follows the topic until closed; after a failure, starts over from the beginning (the set is re-read). */
    private void follow(final Consumer<Set<String>> onChange) {
        while (running) {
            followOnce(onChange);
            if (running) {
                try {
                    Thread.sleep(TOPIC_RETRY_MS); // backoff before reading the topic again after a failure
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void followOnce(final Consumer<Set<String>> onChange) {
        final Properties props = new Properties();
        props.putAll(clientProperties);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "vipwatch-node-agent-vips");
        final AvroSerde<VipState> serde = AvroSerdes.vipState();
        final String prefix = cluster + "/";
        try (KafkaConsumer<String, byte[]> kafka = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer = kafka;
            final List<TopicPartition> partitions = partitions(kafka);
            if (partitions == null) {
                return;
            }
            kafka.assign(partitions);
            kafka.seekToBeginning(partitions);
            final Map<TopicPartition, Long> end = kafka.endOffsets(partitions);
            final Map<String, Boolean> claimed = new HashMap<>();
            Set<String> published = null;
            while (running) {
                boolean changed = false;
                for (final ConsumerRecord<String, byte[]> record : kafka.poll(POLL)) {
                    if (record.key() == null || !record.key().startsWith(prefix)) {
                        continue;
                    }
                    final String ip = record.key().substring(prefix.length());
                    boolean claims = false;
                    if (record.value() != null) {
                        try {
                            claims = !serde.deserializer().deserialize(record.topic(), record.value()).getClaims()
                                    .isEmpty();
                        } catch (final RuntimeException e) {
                            LOG.warn("{}:{}:{}: cannot decode the VipState of {} ({}); skipped", record.topic(),
                                    record.partition(), record.offset(), record.key(), e.getMessage());
                            continue;
                        }
                    }
                    final Boolean before = claims ? claimed.put(ip, true) : claimed.remove(ip);
                    changed |= (before != null) != claims;
                }
                final boolean caughtUp = published != null || partitions.stream()
                        .allMatch(p -> kafka.position(p) >= end.getOrDefault(p, 0L));
                if (caughtUp && (published == null || changed)) {
                    published = Set.copyOf(new TreeSet<>(claimed.keySet()));
                    onChange.accept(published);
                }
            }
        } catch (final WakeupException e) {
            // closed
        } catch (final RuntimeException e) {
            LOG.error("following {} failed: {}; probing the last set known, reading the topic again in {} ms", topic,
                    e.toString(), TOPIC_RETRY_MS, e);
        }
    }

    /** Every partition of the topic, once it exists; null when closed meanwhile. */
    private List<TopicPartition> partitions(final KafkaConsumer<String, byte[]> kafka) {
        boolean warned = false;
        while (running) {
            final List<PartitionInfo> infos = kafka.partitionsFor(topic);
            if (infos != null && !infos.isEmpty()) {
                final List<TopicPartition> partitions = new ArrayList<>();
                infos.forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
                return partitions;
            }
            if (!warned) {
                LOG.warn("topic {} does not exist yet: no VIPs to probe until it does (create it with vipwatch "
                        + "streams --create-topics N)", topic);
                warned = true;
            }
            try {
                Thread.sleep(TOPIC_RETRY_MS); // waiting for the topic to be created, re-checked each period
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }

    @Override
    public String describe() {
        return "the VIPs claimed in " + topic + " for cluster " + cluster;
    }

    @Override
    public synchronized void close() {
        running = false;
        final KafkaConsumer<String, byte[]> kafka = consumer;
        if (kafka != null) {
            kafka.wakeup();
        }
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5_000);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
