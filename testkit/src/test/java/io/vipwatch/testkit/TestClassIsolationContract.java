package io.vipwatch.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Run by two test classes in one JVM, in name order (see junit-platform.properties). Each writes to
 * its own topic and database, checks it reads back only its own data, and records what it was
 * handed; {@link SecondIsolatedClassIT} then compares itself with {@link FirstIsolatedClassIT}.
 */
@WithKafka
@WithPostgres
abstract class TestClassIsolationContract {

    static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String TOPIC = "isolation";

    /** What one test class was handed. */
    record Seen(String bootstrapServers, String topicPrefix, String database, String jdbcUrl) {
    }

    // test class name -> what it was handed
    static final Map<String, Seen> SEEN = new ConcurrentHashMap<>();

    @BeforeAll
    static void writeOwnData(final KafkaTestCluster cluster, final TestDatabase database, final TestInfo info)
            throws SQLException {
        final String owner = info.getTestClass().orElseThrow().getSimpleName();
        cluster.createTopics(List.of(cluster.topic(TOPIC)), 1);
        cluster.produce(List.of(new ProducerRecord<>(cluster.topic(TOPIC), owner, owner)),
                new StringSerializer(), new StringSerializer());
        try (Connection connection = database.dataSource().getConnection();
                Statement sql = connection.createStatement()) {
            sql.execute("CREATE TABLE owner (name text)");
            sql.execute("INSERT INTO owner VALUES ('" + owner + "')");
        }
        SEEN.put(owner, new Seen(cluster.bootstrapServers(), cluster.topicPrefix(), database.name(), database.jdbcUrl()));
    }

    @Test
    void readsOnlyItsOwnRecords(final KafkaTestCluster cluster) {
        final List<ConsumerRecord<String, String>> records = cluster.consumeAtLeast(cluster.topic(TOPIC),
                new StringDeserializer(), new StringDeserializer(), 1, TIMEOUT);

        assertThat(records).extracting(ConsumerRecord::value).containsExactly(getClass().getSimpleName());
    }

    @Test
    void readsOnlyItsOwnRows(final TestDatabase database) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
                Statement sql = connection.createStatement();
                ResultSet rows = sql.executeQuery("SELECT name FROM owner")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo(getClass().getSimpleName());
            assertThat(rows.next()).isFalse();
        }
    }
}
