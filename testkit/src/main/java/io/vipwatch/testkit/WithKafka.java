package io.vipwatch.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives the test class a Kafka broker: declare a {@link KafkaTestCluster} parameter on the
 * constructor, a {@code @BeforeAll}/{@code @BeforeEach} method or a test method.
 *
 * <p>One broker serves the whole test JVM, started on first use and stopped when the JVM's tests
 * end: {@code VIPWATCH_TEST_KAFKA_BOOTSTRAP} names an external broker; else the system property
 * {@code vipwatch.test.kafka.image} names a Kafka image for Testcontainers; else the broker runs
 * in-process ({@link io.vipwatch.embedded.EmbeddedKafka}).
 */
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(KafkaExtension.class)
public @interface WithKafka {
}
