package io.vipwatch.store;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Properties;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import javax.sql.DataSource;

import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jdbi.v3.core.Handle;

import io.vipwatch.schemas.Topics;
import io.vipwatch.schemas.avro.Alert;
import io.vipwatch.schemas.avro.OwnershipChange;
import io.vipwatch.schemas.serde.AvroSerdes;
import io.vipwatch.store.internal.Jdbis;
import io.vipwatch.testkit.KafkaTestCluster;
import io.vipwatch.testkit.Poll;

/** Helpers shared by the store's integration tests. */
public final class StoreTesting {

    private StoreTesting() {
    }

    /**
     * The class's topics, created with 3 partitions, returned once every partition has a working leader:
     * producing to a partition the broker does not lead yet makes an idempotent producer retry into
     * OutOfOrderSequence errors until it times out.
     */
    public static Topics createTopics(final KafkaTestCluster kafka) {
        final Topics topics = Topics.withPrefix(kafka.topicPrefix());
        topics.ensureCreated(kafka.admin(), 3, (short) 1);
        final Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
        for (final Topics.Spec spec : topics.all()) {
            for (int partition = 0; partition < 3; partition++) {
                partitions.put(new TopicPartition(spec.name(), partition), OffsetSpec.latest());
            }
        }
        Poll.until("every partition of " + kafka.topicPrefix() + "* led", Duration.ofSeconds(30), () -> {
            kafka.admin().listOffsets(partitions).all().get(5, TimeUnit.SECONDS);
            return true;
        }, led -> led);
        return topics;
    }

    // Records carry the broker's current time, not the event time: the fixtures' times lie weeks back and the
    // broker's time-based retention (7 days) would delete them while a test runs.

    /** The sink of the tests: the class's topics and broker, the class's group, short polls of up to 500 records. */
    public static HistorySettings sinkSettings(final KafkaTestCluster kafka, final Topics topics,
            final DataSource dataSource) {
        final Properties client = new Properties();
        client.put("bootstrap.servers", kafka.bootstrapServers());
        return HistorySettings.of(client, topics, dataSource).withGroupId(kafka.topicPrefix() + "store")
                .withPoll(Duration.ofMillis(100), 500);
    }

    public static void sendChanges(final KafkaTestCluster kafka, final Topics topics, final List<OwnershipChange> changes) {
        kafka.produce(changes.stream()
                .map(change -> new ProducerRecord<>(topics.ownershipChanges(),
                        change.getCluster() + "/" + change.getIp(), AvroSerdes.ownershipChange().encode(change)))
                .toList(), new StringSerializer(), new ByteArraySerializer());
    }

    public static void sendAlerts(final KafkaTestCluster kafka, final Topics topics, final List<Alert> alerts) {
        kafka.produce(alerts.stream()
                .map(alert -> new ProducerRecord<>(topics.alerts(), alert.getFingerprint(),
                        AvroSerdes.alert().encode(alert)))
                .toList(), new StringSerializer(), new ByteArraySerializer());
    }

    public static <T> T query(final DataSource dataSource, final Function<Handle, T> work) {
        return Jdbis.create(dataSource).withHandle(work::apply);
    }

    public static long count(final DataSource dataSource, final String sql, final Object... args) {
        return query(dataSource, handle -> {
            final var query = handle.createQuery(sql);
            for (int i = 0; i < args.length; i++) {
                query.bind(i, args[i]);
            }
            return query.mapTo(Long.class).one();
        });
    }

    public static List<Map<String, Object>> rows(final DataSource dataSource, final String sql) {
        return query(dataSource, handle -> handle.createQuery(sql).mapToMap().list());
    }

    public static List<String> texts(final DataSource dataSource, final String sql) {
        return query(dataSource, handle -> handle.createQuery(sql).mapTo(String.class).list());
    }
}
