package io.vipwatch.testkit.internal;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.kafka.ConfluentKafkaContainer;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A Kafka broker in a container, for machines with a Docker engine. {@code confluentinc/cp-kafka}
 * images (or mirrors named {@code .../cp-kafka}) run in {@link ConfluentKafkaContainer}; anything
 * else is taken for an {@code apache/kafka} or {@code apache/kafka-native} image. Kept in its own
 * class so the Testcontainers classes load only when this path is chosen.
 */
final class TestcontainersKafka implements AutoCloseable {

    private final GenericContainer<?> container;
    private final String bootstrapServers;

    private TestcontainersKafka(final GenericContainer<?> container, final String bootstrapServers) {
        this.container = container;
        this.bootstrapServers = bootstrapServers;
    }

    static TestcontainersKafka start(final String image) {
        final DockerImageName name = DockerImageName.parse(image);
        if (name.getRepository().endsWith("cp-kafka")) {
            final ConfluentKafkaContainer confluent =
                    new ConfluentKafkaContainer(name.asCompatibleSubstituteFor("confluentinc/cp-kafka"));
            configure(confluent);
            confluent.start();
            return new TestcontainersKafka(confluent, confluent.getBootstrapServers());
        }
        final KafkaContainer apache = new KafkaContainer(name.getRepository().endsWith("kafka-native")
                ? name.asCompatibleSubstituteFor("apache/kafka-native")
                : name.asCompatibleSubstituteFor("apache/kafka"));
        configure(apache);
        apache.start();
        return new TestcontainersKafka(apache, apache.getBootstrapServers());
    }

    /** The same broker defaults as the embedded broker, so tests behave alike on either. */
    private static void configure(final GenericContainer<?> container) {
        container.withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
                .withEnv("KAFKA_NUM_PARTITIONS", "3")
                .withEnv("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void close() {
        container.stop();
    }
}
