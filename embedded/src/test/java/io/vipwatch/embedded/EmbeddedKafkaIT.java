package io.vipwatch.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.internals.Exit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void deliversAProducedRecordToAConsumer() throws Exception {
        createTopic("deliver", Optional.of(1));

        produce("deliver", "vip-192.0.2.10", "held-by-node-a");

        assertThat(consume("deliver", 1))
                .extracting(ConsumerRecord::key, ConsumerRecord::value)
                .containsExactly(tuple("vip-192.0.2.10", "held-by-node-a"));
    }

    @Test
    void createsTopicsWithThreePartitionsByDefault() throws Exception {
        createTopic("default-partitions", Optional.empty());

        try (Admin admin = admin()) {
            final int partitions = admin.describeTopics(Set.of("default-partitions")).allTopicNames().get()
                    .get("default-partitions").partitions().size();
            assertThat(partitions).isEqualTo(EmbeddedKafka.DEFAULT_PARTITIONS);
        }
    }

    @Test
    void keepsTopicsAndRecordsAcrossARestart() throws Exception {
        final String bootstrapBefore = kafka.bootstrapServers();
        createTopic("survives-restart", Optional.of(1));
        produce("survives-restart", "vip-198.51.100.7", "before-restart");

        kafka.restart();

        assertThat(kafka.bootstrapServers()).isEqualTo(bootstrapBefore);
        produce("survives-restart", "vip-198.51.100.7", "after-restart");
        assertThat(consume("survives-restart", 2))
                .extracting(ConsumerRecord::value)
                .containsExactly("before-restart", "after-restart");
    }

    @Test
    void keepsRecordsWithWeeksOldTimestampsThroughRetentionChecks() throws Exception {
        try (EmbeddedKafka broker = EmbeddedKafka.builder()
                .brokerConfig("log.initial.task.delay.ms", "0") // retention checks from the start...
                .brokerConfig("log.retention.check.interval.ms", "200") // ...five times a second
                .start()) {
            createTopic(broker, "replayed", Optional.of(1));
            final long monthAgo = System.currentTimeMillis() - Duration.ofDays(30).toMillis();
            final Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                    new StringSerializer())) {
                producer.send(new ProducerRecord<>("replayed", 0, monthAgo, "c1/default/web", "recorded-event")).get();
            }

            // a recording replays old event times; ten retention checks later the record is still there
            try (Admin admin = admin(broker)) {
                Awaitility.await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                        .until(() -> admin.listOffsets(Map.of(new TopicPartition("replayed", 0),
                                OffsetSpec.earliest())).all().get()
                                .get(new TopicPartition("replayed", 0)).offset() == 0L);
            }
            assertThat(consume(broker, "replayed", 1)).extracting(ConsumerRecord::value).containsExactly("recorded-event");
        }
    }

    @Test
    void reopensAKeptDataDirectoryOnOtherPorts() throws Exception {
        final Path dataDir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "kept-kafka-");
        final String firstAddress;
        try (EmbeddedKafka first = EmbeddedKafka.builder().dataDir(dataDir).start()) {
            firstAddress = first.bootstrapServers();
            createTopic(first, "kept", Optional.of(1));
            produce(first, "kept", "vip-203.0.113.9", "written-by-the-first-broker");
        }

        try (EmbeddedKafka second = EmbeddedKafka.builder().dataDir(dataDir).start()) {
            assertThat(second.bootstrapServers()).isNotEqualTo(firstAddress);
            assertThat(consume(second, "kept", 1))
                    .extracting(ConsumerRecord::value)
                    .containsExactly("written-by-the-first-broker");
        }
        assertThat(dataDir).isDirectory();
    }

    @Test
    void aFatalFaultCannotEndTheJvm() {
        assertThatThrownBy(() -> Exit.halt(1, "simulated fatal fault"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("simulated fatal fault");
        assertThatThrownBy(() -> Exit.exit(1))
                .isInstanceOf(IllegalStateException.class);
    }

    private static void createTopic(final String name, final Optional<Integer> partitions) throws Exception {
        createTopic(kafka, name, partitions);
    }

    private static void createTopic(final EmbeddedKafka broker, final String name, final Optional<Integer> partitions)
            throws Exception {
        try (Admin admin = admin(broker)) {
            admin.createTopics(List.of(new NewTopic(name, partitions, Optional.empty()))).all().get();
        }
    }

    private static Admin admin() {
        return admin(kafka);
    }

    private static Admin admin(final EmbeddedKafka broker) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    private static void produce(final String topic, final String key, final String value) throws Exception {
        produce(kafka, topic, key, value);
    }

    private static void produce(final EmbeddedKafka broker, final String topic, final String key, final String value)
            throws Exception {
        final Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    /** Reads a topic from the start until {@code count} records arrived or the timeout passed. */
    private static List<ConsumerRecord<String, String>> consume(final String topic, final int count) {
        return consume(kafka, topic, count);
    }

    private static List<ConsumerRecord<String, String>> consume(final EmbeddedKafka broker, final String topic,
            final int count) {
        final Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        final List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            final List<TopicPartition> partitions = consumer.partitionsFor(topic, TIMEOUT).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .collect(Collectors.toList());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        assertThat(records).as("records read from %s within %s", topic, TIMEOUT).hasSize(count);
        return records;
    }
}
