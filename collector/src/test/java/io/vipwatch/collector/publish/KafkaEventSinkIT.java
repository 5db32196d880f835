package io.vipwatch.collector.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import io.vipwatch.schemas.ClusterPartitioning;
import io.vipwatch.schemas.Topics;
import io.vipwatch.schemas.event.Heartbeat;
import io.vipwatch.schemas.event.NodeAddresses;
import io.vipwatch.testkit.KafkaTestCluster;
import io.vipwatch.testkit.WithKafka;

/** On a real broker: a cluster's events, and its tombstones, share the cluster's partition on every topic. */
@WithKafka
class KafkaEventSinkIT {

    private static final int PARTITIONS = 3;

    @Test
    void putsEveryEventOfAClusterOnTheClustersPartitionKeepingTheKeys(final KafkaTestCluster kafka) {
        final Topics topics = Topics.withPrefix(kafka.topicPrefix());
        topics.ensureCreated(kafka.admin(), PARTITIONS, (short) 1);
        final List<String> clusters = List.of("prod-eu-1", "prod-eu-2", "prod-us-1", "staging", "lab");
        final Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());

        try (KafkaEventSink sink = new KafkaEventSink(props, topics)) {
            for (final String cluster : clusters) {
                sink.publish(new Heartbeat(cluster, 1_000, "collector/" + cluster, "h-" + cluster, null, 10_000));
                sink.publish(new NodeAddresses(cluster, 1_000, "node-agent/" + cluster + "/n1", "a-" + cluster,
                        "n1", List.of(new NodeAddresses.Address("eth0", "192.0.2.1", 24)), false));
                sink.nodeDeleted(cluster, "n1", 2_000, "collector/" + cluster);
            }
            sink.flush();
        }

        final List<ConsumerRecord<String, byte[]>> heartbeats = kafka.consumeAtLeast(topics.heartbeats(),
                new StringDeserializer(), new ByteArrayDeserializer(), clusters.size(), Duration.ofSeconds(30));
        final List<ConsumerRecord<String, byte[]>> addresses = kafka.consumeAtLeast(topics.nodeAddresses(),
                new StringDeserializer(), new ByteArrayDeserializer(), 2 * clusters.size(), Duration.ofSeconds(30));

        assertThat(heartbeats).allSatisfy(r -> assertThat(r.partition())
                .isEqualTo(ClusterPartitioning.partitionOf(r.key().substring(0, r.key().indexOf('/')), PARTITIONS)));
        assertThat(heartbeats).extracting(ConsumerRecord::key).contains("prod-eu-1/collector/prod-eu-1");
        assertThat(addresses).allSatisfy(r -> assertThat(r.partition())
                .isEqualTo(ClusterPartitioning.partitionOf(r.key().substring(0, r.key().indexOf('/')), PARTITIONS)));
        assertThat(addresses).filteredOn(r -> r.value() == null).extracting(ConsumerRecord::key)
                .as("a tombstone lands beside the records it deletes").hasSize(clusters.size()).contains("lab/n1");
        assertThat(clusters.stream().map(c -> ClusterPartitioning.partitionOf(c, PARTITIONS)).distinct().count())
                .as("the clusters spread over more than one partition").isGreaterThan(1);
    }
}
