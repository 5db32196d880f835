/**
 * Test support: a real Kafka broker and a fresh PostgreSQL database per test class.
 *
 * <pre>{@code
 * @WithKafka
 * @WithPostgres
 * class HistoryWriterIT {
 *     @BeforeAll
 *     static void topics(KafkaTestCluster kafka) {
 *         kafka.createTopics(List.of(kafka.topic("vipwatch.alerts.v1")), 3);
 *     }
 *
 *     @Test
 *     void storesEveryAlert(KafkaTestCluster kafka, TestDatabase db) {
 *         kafka.produce(List.of(new ProducerRecord<>(kafka.topic("vipwatch.alerts.v1"), key, value)), keySer, valueSer);
 *         Poll.until("one stored alert", Duration.ofSeconds(20), () -> countAlerts(db.dataSource()), n -> n == 1);
 *     }
 * }
 * }</pre>
 *
 * <p>One broker and one PostgreSQL serve every test class of a JVM; each class gets its own topic
 * prefix (topics, group ids and Streams application ids) and its own database, both removed when
 * the class ends. Environment: {@code VIPWATCH_TEST_KAFKA_BOOTSTRAP} (external broker), system
 * property {@code vipwatch.test.kafka.image} (Testcontainers), {@code VIPWATCH_TEST_JDBC_URL},
 * {@code VIPWATCH_TEST_JDBC_USER}, {@code VIPWATCH_TEST_JDBC_PASSWORD} (external PostgreSQL).
 */
package io.vipwatch.testkit;
