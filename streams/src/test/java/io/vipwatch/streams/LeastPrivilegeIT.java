package io.vipwatch.streams;

import static io.vipwatch.testkit.SecuredKafka.allow;
import static io.vipwatch.testkit.SecuredKafka.topic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vipwatch.embedded.Directories;
import io.vipwatch.schemas.Topics;
import io.vipwatch.schemas.avro.Alert;
import io.vipwatch.schemas.avro.AlertKind;
import io.vipwatch.schemas.avro.AlertState;
import io.vipwatch.schemas.publish.InputPublisher;
import io.vipwatch.schemas.serde.AvroSerdes;
import io.vipwatch.streams.core.DetectionSettings;
import io.vipwatch.testkit.Poll;
import io.vipwatch.testkit.SecuredKafka;

/**
 * Least privilege, proven (docs/security.md, "Kafka: TLS, SASL and ACLs"): a broker with a SASL_SSL listener
 * (SCRAM-SHA-512, TLS with a throwaway certificate) and the StandardAuthorizer ({@link SecuredKafka}: its own broker,
 * because the shared testkit one is PLAINTEXT without an authorizer); the `collect` and `streams` roles connect as
 * their own principals holding exactly the ACLs the doc's table lists, and the collector's events make Kafka Streams
 * detect the seed incident; a role missing one ACL fails promptly with a message naming the topic or group; no SCRAM
 * password appears in any log line or error message of the run. The store's row: {@code StoreLeastPrivilegeIT}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LeastPrivilegeIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(45);
    private static final String PREFIX = "lp.";
    private static final String APPLICATION_ID = PREFIX + StreamsSettings.DEFAULT_APPLICATION_ID;
    // the application id of the instance whose principal lacks WRITE on alerts: its own group and transactional ids
    private static final String NO_ALERTS_ID = PREFIX + "no-alerts-streams";

    private final Topics topics = Topics.withPrefix(PREFIX);
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger kafkaLogger = (Logger) LoggerFactory.getLogger("org.apache.kafka");
    private Level kafkaLevel;

    private Path dir;
    private SecuredKafka kafka;
    private Properties collect;
    private Properties streams;
    private Properties streamsWithoutGroup;
    private Properties collectWithoutWrite;
    private Properties streamsWithoutAlerts;

    @BeforeAll
    void startSecuredBroker() throws Exception {
        final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        logs.start();
        root.addAppender(logs);
        // INFO shows the clients' configuration dumps, the likeliest place for a leaked sasl.jaas.config
        kafkaLevel = kafkaLogger.getLevel();
        kafkaLogger.setLevel(Level.INFO);
        dir = Files.createTempDirectory("vipwatch-least-privilege-");
        kafka = SecuredKafka.start();
        try (Admin admin = Admin.create(kafka.superUser())) {
            topics.ensureCreated(admin, 2, (short) 1);
        }
        collect = kafka.user("collect", collectAcls("collect", null));
        streams = kafka.user("streams", streamsAcls("streams", APPLICATION_ID, true));
        streamsWithoutGroup = kafka.user("streams-without-group",
                streamsAcls("streams-without-group", APPLICATION_ID, false));
        streamsWithoutAlerts = kafka.user("streams-without-alerts",
                streamsAcls("streams-without-alerts", NO_ALERTS_ID, true).stream()
                        .filter(acl -> !(acl.pattern().name().equals(topics.alerts())
                                && acl.entry().operation() == AclOperation.WRITE))
                        .toList());
        collectWithoutWrite = kafka.user("collect-without-write",
                collectAcls("collect-without-write", topics.heartbeats()));
    }

    @AfterAll
    void stopBroker() throws Exception {
        kafkaLogger.setLevel(kafkaLevel);
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        if (kafka != null) {
            kafka.close();
        }
        if (dir != null) {
            Directories.deleteRecursively(dir);
        }
    }

    @Test
    void eachRoleWithOnlyItsDocumentedAclsRunsThePipeline() throws Exception {
        final StreamsSettings settings = settings(streams, APPLICATION_ID)
                .withPunctuation(StreamsSettings.DEFAULT_PUNCTUATION_INTERVAL, false);
        try (VipwatchStreams detector = VipwatchStreams.start(settings);
                InputPublisher collector = new InputPublisher(collect, topics)) {
            // a poison pill (sent by the super user) makes streams use its WRITE on the dead-letter topic too
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.superUser(), new StringSerializer(),
                    new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(topics.services(), 0, Scenario.time(1), "c1/default/web",
                        new byte[] {1, 2, 3})).get();
            }
            Scenario.seedIncident("c1").events().forEach(collector::publish);
            collector.flush();

            final List<Alert> alerts = consume(topics.alerts(), 2, AvroSerdes.alert());
            assertThat(alerts).extracting(Alert::getState, Alert::getKind).containsExactly(
                    Tuple.tuple(AlertState.OPENED, AlertKind.FOREIGN_BINDING),
                    Tuple.tuple(AlertState.RESOLVED, AlertKind.FOREIGN_BINDING));
            assertThat(consume(topics.dlq(), 1, new ByteArrayDeserializer())).hasSize(1);
            assertThat(detector.failure()).isNull();
        }
        assertNoPasswordLogged();
    }

    @Test
    void streamsWithoutItsGroupAclFailsAtStartNamingTheGroup() throws Exception {
        final StreamsSettings settings = settings(streamsWithoutGroup, APPLICATION_ID);
        final long started = System.nanoTime();
        assertThatThrownBy(() -> VipwatchStreams.start(settings).close())
                .satisfies(e -> assertThat(e.getMessage()).contains("Not authorized to access group: " + APPLICATION_ID))
                .satisfies(e -> assertNoPassword(messages(e)));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(TIMEOUT);
        assertNoPasswordLogged();
    }

    @Test
    void streamsWithoutWriteOnAlertsStopsAtItsFirstAlertNamingTheTopic() throws Exception {
        final StreamsSettings settings = settings(streamsWithoutAlerts, NO_ALERTS_ID);
        try (VipwatchStreams detector = VipwatchStreams.start(settings);
                InputPublisher collector = new InputPublisher(collect, topics)) {
            Scenario.seedIncident("c9").events().forEach(collector::publish);
            collector.flush();
            final Throwable failure = Poll.until("streams to stop", TIMEOUT, detector::failure, e -> e != null);
            assertThat(messages(failure)).contains("Not authorized to access topics: [" + topics.alerts() + "]");
            assertNoPassword(messages(failure));
            Poll.until("the client in ERROR", TIMEOUT, detector::state, s -> s == KafkaStreams.State.ERROR);
        }
        assertNoPasswordLogged();
    }

    @Test
    void aCollectorWithoutWriteOnOneTopicFailsNamingTheTopic() {
        try (InputPublisher collector = new InputPublisher(collectWithoutWrite, topics)) {
            assertThatThrownBy(() -> {
                Scenario.seedIncident("c1").events().forEach(collector::publish);
                collector.flush();
            }).satisfies(e -> assertThat(e.getMessage()).contains("Not authorized to access topics: ["
                    + topics.heartbeats() + "]"))
                    .satisfies(e -> assertNoPassword(messages(e)));
        }
        assertNoPasswordLogged();
    }

    /** A streams instance of {@code client}'s principal under {@code applicationId}, in a fresh state directory. */
    private StreamsSettings settings(final Properties client, final String applicationId) throws IOException {
        return StreamsSettings.of(client, topics)
                .withApplicationId(applicationId)
                .withStateDir(Files.createTempDirectory(dir, "streams-"))
                .withDetection(DetectionSettings.defaults())
                .withStartTimeout(TIMEOUT);
    }

    private void assertNoPasswordLogged() {
        kafka.assertNoPasswordLogged(List.copyOf(logs.list));
    }

    private void assertNoPassword(final String text) {
        for (final String password : kafka.passwords()) {
            assertThat(text).doesNotContain(password);
        }
    }

    /** The messages of {@code e} and its causes, one a line. */
    private static String messages(final Throwable e) {
        final StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            text.append(t).append('\n');
        }
        return text.toString();
    }

    /** WRITE, DESCRIBE on the five input topics (docs/security.md, `collect`); no IDEMPOTENT_WRITE: see there. */
    private List<AclBinding> collectAcls(final String user, final String withoutWrite) {
        final List<AclBinding> acls = new ArrayList<>();
        for (final String topic : topics.inputs()) {
            acls.addAll(topic.equals(withoutWrite) ? topic(user, topic, AclOperation.DESCRIBE)
                    : topic(user, topic, AclOperation.WRITE, AclOperation.DESCRIBE));
        }
        return acls;
    }

    /** The `streams` row of docs/security.md's table, optionally without the ACL on its group. */
    private List<AclBinding> streamsAcls(final String user, final String applicationId, final boolean group) {
        final List<AclBinding> acls = new ArrayList<>();
        for (final String topic : topics.inputs()) {
            acls.addAll(topic(user, topic, AclOperation.READ, AclOperation.DESCRIBE));
        }
        for (final String topic : List.of(topics.alerts(), topics.ownershipChanges(), topics.vipState(), topics.dlq())) {
            acls.addAll(topic(user, topic, AclOperation.WRITE, AclOperation.DESCRIBE));
        }
        acls.add(allow(user, ResourceType.TOPIC, applicationId, PatternType.PREFIXED, AclOperation.ALL));
        if (group) {
            acls.add(allow(user, ResourceType.GROUP, applicationId, PatternType.PREFIXED, AclOperation.ALL));
        }
        acls.add(allow(user, ResourceType.TRANSACTIONAL_ID, applicationId, PatternType.PREFIXED, AclOperation.WRITE));
        acls.add(allow(user, ResourceType.TRANSACTIONAL_ID, applicationId, PatternType.PREFIXED, AclOperation.DESCRIBE));
        return acls;
    }

    private <V> List<V> consume(final String topic, final int count, final Deserializer<V> values) {
        final Properties props = kafka.superUser();
        props.put("auto.offset.reset", "earliest");
        props.put("isolation.level", "read_committed");
        props.put("group.id", "least-privilege-check-" + topic);
        final List<V> found = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(props, new StringDeserializer(), values)) {
            consumer.subscribe(List.of(topic));
            Poll.until("records on " + topic, TIMEOUT, () -> {
                for (final ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(200))) {
                    found.add(record.value());
                }
                return found.size() >= count;
            }, Boolean::booleanValue);
        }
        return found;
    }
}
