package io.vipwatch.store;

import static io.vipwatch.testkit.SecuredKafka.allow;
import static io.vipwatch.testkit.SecuredKafka.topic;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vipwatch.schemas.Topics;
import io.vipwatch.schemas.avro.AlertKind;
import io.vipwatch.schemas.avro.AlertState;
import io.vipwatch.schemas.serde.AvroSerdes;
import io.vipwatch.testkit.Poll;
import io.vipwatch.testkit.SecuredKafka;
import io.vipwatch.testkit.TestDatabase;
import io.vipwatch.testkit.WithPostgres;

/**
 * The `store` row of docs/security.md's ACL table, proven: the sink connects through SASL_SSL (SCRAM-SHA-512) to a
 * broker with the StandardAuthorizer ({@link SecuredKafka}, its own broker: the shared one is PLAINTEXT) as a
 * principal holding exactly the documented ACLs, stores an alert and dead-letters a bad record; without the ACL on
 * its group it stops at once, naming the group; no SCRAM password in any log line. The collector and streams rows:
 * {@code LeastPrivilegeIT} in the streams module.
 */
@WithPostgres
class StoreLeastPrivilegeIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String PREFIX = "lps.";
    private static final String GROUP = PREFIX + HistorySettings.DEFAULT_GROUP_ID;
    private static final Topics TOPICS = Topics.withPrefix(PREFIX);

    private static final ListAppender<ILoggingEvent> LOGS = new ListAppender<>();
    private static final Logger KAFKA_LOGGER = (Logger) LoggerFactory.getLogger("org.apache.kafka");
    private static Level kafkaLevel;
    private static SecuredKafka kafka;

    @BeforeAll
    static void start(final TestDatabase db) {
        LOGS.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(LOGS);
        // INFO shows the clients' configuration dumps, the likeliest place for a leaked sasl.jaas.config
        kafkaLevel = KAFKA_LOGGER.getLevel();
        KAFKA_LOGGER.setLevel(Level.INFO);
        Migrations.migrate(db.dataSource());
        kafka = SecuredKafka.start();
        try (Admin admin = Admin.create(kafka.superUser())) {
            TOPICS.ensureCreated(admin, 2, (short) 1);
        }
    }

    @AfterAll
    static void stop() {
        KAFKA_LOGGER.setLevel(kafkaLevel);
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(LOGS);
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void theStoreWithOnlyItsDocumentedAclsStoresAlertsAndDeadLetters(final TestDatabase db) {
        final Properties client = kafka.user("store", storeAcls("store", true));
        final Instant opened = Instant.now().minusSeconds(60);
        send(TOPICS.alerts(), "lps-c1/198.51.100.10/FOREIGN_BINDING", AvroSerdes.alert().encode(Fixtures.alert(
                AlertState.OPENED, AlertKind.FOREIGN_BINDING, "lps-c1", "198.51.100.10", opened, opened,
                List.of("cp-1"), "hint")));
        send(TOPICS.alerts(), "garbage", new byte[] {1, 2, 3});

        final HistoryWriter writer = HistoryWriter.start(HistorySettings.of(client, TOPICS, db.dataSource())
                .withGroupId(GROUP).withPoll(Duration.ofMillis(100), 500));
        try {
            Poll.until("the alert episode row", WAIT, () -> StoreTesting.count(db.dataSource(),
                    "SELECT count(*) FROM alert_episodes WHERE cluster = 'lps-c1'"), n -> n == 1);
            Poll.until("the dead letter", WAIT, () -> writer.deadLetters(), n -> n == 1);
            assertThat(dlqRecords()).isEqualTo(1);
            assertThat(writer.failure()).isEmpty();
        } finally {
            writer.close();
        }
        assertNoPasswordLogged();
    }

    @Test
    void theStoreWithoutItsGroupAclStopsAtOnceNamingTheGroup(final TestDatabase db) {
        final Properties client = kafka.user("store-without-group", storeAcls("store-without-group", false));
        final HistoryWriter writer = HistoryWriter.start(HistorySettings.of(client, TOPICS, db.dataSource())
                .withGroupId(GROUP).withPoll(Duration.ofMillis(100), 500));
        try {
            final Throwable failure = Poll.until("the sink to stop", WAIT, () -> writer.failure().orElse(null),
                    e -> e != null);
            assertThat(failure.toString()).contains("Not authorized to access group: " + GROUP);
            assertThat(LOGS.list).extracting(ILoggingEvent::getFormattedMessage)
                    .anySatisfy(line -> assertThat(line).startsWith("store sink stopped: ").contains(GROUP));
        } finally {
            writer.close();
        }
        assertNoPasswordLogged();
    }

    /** docs/security.md, `store`: READ, DESCRIBE on its four topics; READ on its group; WRITE on dlq. */
    private static List<AclBinding> storeAcls(final String user, final boolean group) {
        final List<AclBinding> acls = new ArrayList<>();
        for (final String topic : List.of(TOPICS.ownershipChanges(), TOPICS.alerts(), TOPICS.vipState(),
                TOPICS.heartbeats())) {
            acls.addAll(topic(user, topic, AclOperation.READ, AclOperation.DESCRIBE));
        }
        if (group) {
            acls.add(allow(user, ResourceType.GROUP, GROUP, PatternType.LITERAL, AclOperation.READ));
        }
        acls.addAll(topic(user, TOPICS.dlq(), AclOperation.WRITE));
        return acls;
    }

    private static void send(final String topic, final String key, final byte[] value) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.superUser(), new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("could not send to " + topic, e);
        }
    }

    private static int dlqRecords() {
        final Properties props = kafka.superUser();
        props.put("group.id", "lps-check");
        props.put("auto.offset.reset", "earliest");
        final List<Object> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(TOPICS.dlq()));
            Poll.until("the dead letter on " + TOPICS.dlq(), WAIT, () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(found::add);
                return found.size();
            }, n -> n >= 1);
        }
        return found.size();
    }

    private static void assertNoPasswordLogged() {
        kafka.assertNoPasswordLogged(List.copyOf(LOGS.list));
    }
}
