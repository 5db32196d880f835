package io.vipwatch.collector.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.vipwatch.collector.testing.VipStateRecords;
import io.vipwatch.schemas.Topics;
import io.vipwatch.testkit.KafkaTestCluster;
import io.vipwatch.testkit.WithKafka;

/** The probe's VIP set read from a real broker's {@code vipwatch.vip-state.v1}, as the topology writes it. */
@WithKafka
class VipStateVipsIT {

    static KafkaTestCluster kafka;
    static Topics topics;

    @BeforeAll
    static void topics(final KafkaTestCluster cluster) {
        kafka = cluster;
        topics = Topics.withPrefix(cluster.topicPrefix());
        topics.ensureCreated(cluster.admin(), 2, (short) 1);
    }

    @Test
    void theSetIsTheClusterVipsWithAClaimFollowedThroughNewStatesTombstonesAndBadRecords() throws Exception {
        publish(record("c1", "198.51.100.10", true), record("c1", "198.51.100.11", false),
                record("c2", "198.51.100.12", true), record("c1", "2001:db8::10", true),
                new ProducerRecord<>(topics.vipState(), "c1/198.51.100.13", new byte[] {1, 2, 3}));
        final BlockingQueue<Set<String>> sets = new LinkedBlockingQueue<>();
        final Properties client = new Properties();
        client.put("bootstrap.servers", kafka.bootstrapServers());
        try (VipStateVips source = new VipStateVips(client, topics.vipState(), "c1")) {
            source.start(sets::add);
            assertThat(sets.poll(30, TimeUnit.SECONDS)).as("the first set, once read to the end")
                    .containsExactlyInAnyOrder("198.51.100.10", "2001:db8::10");

            publish(new ProducerRecord<>(topics.vipState(), "c1/198.51.100.10", null),
                    record("c1", "198.51.100.11", true), record("c2", "198.51.100.14", true));
            Set<String> next = sets.poll(30, TimeUnit.SECONDS);
            while (next != null && next.contains("198.51.100.10")) {
                next = sets.poll(30, TimeUnit.SECONDS); // the tombstone and the new claim may come in two polls
            }
            assertThat(next).as("after a tombstone and a new claim")
                    .containsExactlyInAnyOrder("198.51.100.11", "2001:db8::10");
        }
    }

    private static ProducerRecord<String, byte[]> record(final String cluster, final String ip, final boolean claimed) {
        return VipStateRecords.state(topics.vipState(), cluster, ip, claimed);
    }

    @SafeVarargs
    private static void publish(final ProducerRecord<String, byte[]>... records) {
        kafka.produce(List.of(records), new StringSerializer(), new ByteArraySerializer());
    }
}
