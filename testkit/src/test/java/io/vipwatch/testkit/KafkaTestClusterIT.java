package io.vipwatch.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@WithKafka
class KafkaTestClusterIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static KafkaTestCluster seenInBeforeAll;

    private final KafkaTestCluster cluster;

    KafkaTestClusterIT(final KafkaTestCluster cluster) {
        this.cluster = cluster;
    }

    @BeforeAll
    static void remember(final KafkaTestCluster cluster) {
        seenInBeforeAll = cluster;
    }

    @Test
    void constructorBeforeAllAndTestMethodsShareOneClusterView(final KafkaTestCluster parameter) {
        assertThat(parameter).isSameAs(cluster).isSameAs(seenInBeforeAll);
        assertThat(cluster.topicPrefix()).matches("t[0-9a-f]{6}\\.");
        assertThat(cluster.topic("vipwatch.services.v1")).isEqualTo(cluster.topicPrefix() + "vipwatch.services.v1");
    }

    @Test
    void deliversProducedRecordsToConsumeUntil() {
        final String topic = cluster.topic("round-trip");
        cluster.createTopics(List.of(topic), 3);

        cluster.produce(List.of(
                new ProducerRecord<>(topic, "192.0.2.10", "node-a"),
                new ProducerRecord<>(topic, "192.0.2.11", "node-b")), new StringSerializer(), new StringSerializer());

        final List<ConsumerRecord<String, String>> records = cluster.consumeAtLeast(topic, new StringDeserializer(),
                new StringDeserializer(), 2, TIMEOUT);
        assertThat(records).extracting(ConsumerRecord::value).containsExactlyInAnyOrder("node-a", "node-b");
    }

    @Test
    void createsTopicsWithTheRequestedPartitionsAndToleratesExistingOnes() throws Exception {
        final String topic = cluster.topic("created-twice");

        cluster.createTopics(List.of(topic), 2);
        cluster.createTopics(List.of(topic), 2);

        final int partitions = cluster.admin().describeTopics(Set.of(topic)).allTopicNames().get()
                .get(topic).partitions().size();
        assertThat(partitions).isEqualTo(2);
    }

    @Test
    void consumeUntilFailsNamingTheTopicWhenTheConditionNeverHolds() {
        final String topic = cluster.topic("stays-empty");
        cluster.createTopics(List.of(topic), 1);

        assertThatThrownBy(() -> cluster.consumeAtLeast(topic, new StringDeserializer(), new StringDeserializer(), 1,
                Duration.ofMillis(500)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining(topic)
                .hasMessageContaining("0 records");
    }

    @Test
    void clientSettingsCarryTheClassPrefix() {
        assertThat(cluster.consumerProps("audit").getProperty(ConsumerConfig.GROUP_ID_CONFIG))
                .isEqualTo(cluster.topicPrefix() + "audit");
        assertThat(cluster.streamsProps("vipwatch-streams").getProperty("application.id"))
                .isEqualTo(cluster.topicPrefix() + "vipwatch-streams");
        assertThat(Path.of(cluster.streamsProps("vipwatch-streams").getProperty("state.dir")))
                .startsWith(Path.of(System.getProperty("java.io.tmpdir")))
                .isDirectory();
    }

    @Nested
    class NestedClasses {

        @Test
        void shareTheOuterClassView(final KafkaTestCluster parameter) {
            assertThat(parameter).isSameAs(cluster);
        }
    }
}
