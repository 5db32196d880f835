package io.vipwatch.testkit.internal;

import io.vipwatch.embedded.EmbeddedKafka;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one Kafka broker of a test JVM, chosen once from the environment:
 * <ol>
 *   <li>{@value #BOOTSTRAP_ENV} set: that external broker (left running);</li>
 *   <li>system property {@value #IMAGE_PROPERTY} set: a Testcontainers Kafka of that image;</li>
 *   <li>otherwise: an {@link EmbeddedKafka} in this JVM.</li>
 * </ol>
 */
public final class SharedKafka implements AutoCloseable {

    public static final String BOOTSTRAP_ENV = "VIPWATCH_TEST_KAFKA_BOOTSTRAP";
    public static final String IMAGE_PROPERTY = "vipwatch.test.kafka.image";

    private static final Logger LOG = LoggerFactory.getLogger(SharedKafka.class);

    private final String bootstrapServers;
    private final String description;
    // what close() stops; null for an external broker
    private final AutoCloseable owned;

    private SharedKafka(final String bootstrapServers, final String description, final AutoCloseable owned) {
        this.bootstrapServers = bootstrapServers;
        this.description = description;
        this.owned = owned;
    }

    public static SharedKafka start(final Map<String, String> env, final String image) {
        final String external = env.get(BOOTSTRAP_ENV);
        final SharedKafka kafka;
        if (external != null && !external.isBlank()) {
            kafka = new SharedKafka(external.trim(), "external Kafka (" + BOOTSTRAP_ENV + ")", null);
        } else if (image != null && !image.isBlank()) {
            final TestcontainersKafka container = TestcontainersKafka.start(image.trim());
            kafka = new SharedKafka(container.bootstrapServers(), "Testcontainers Kafka " + image.trim(), container);
        } else {
            final EmbeddedKafka embedded = EmbeddedKafka.start();
            kafka = new SharedKafka(embedded.bootstrapServers(), "embedded Kafka", embedded);
        }
        LOG.info("Tests in this JVM use the {} at {}", kafka.description, kafka.bootstrapServers);
        return kafka;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The embedded broker, for tests that stop and restart it; null for other sources. */
    public EmbeddedKafka embedded() {
        return owned instanceof EmbeddedKafka ? (EmbeddedKafka) owned : null;
    }

    @Override
    public void close() throws Exception {
        if (owned != null) {
            owned.close();
        }
    }

    @Override
    public String toString() {
        return description + " at " + bootstrapServers;
    }
}
