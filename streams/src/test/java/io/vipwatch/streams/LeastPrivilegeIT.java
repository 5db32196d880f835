package io.vipwatch.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vipwatch.embedded.EmbeddedKafka;
import io.vipwatch.schemas.Topics;
import io.vipwatch.schemas.avro.Alert;
import io.vipwatch.schemas.avro.AlertKind;
import io.vipwatch.schemas.avro.AlertState;
import io.vipwatch.schemas.publish.InputPublisher;
import io.vipwatch.schemas.serde.Serdes;
import io.vipwatch.streams.core.DetectionConfig;
import io.vipwatch.testkit.Poll;

/**
 * Least privilege, proven (docs/security.md, "Kafka: TLS, SASL and ACLs"): a broker with a SASL_SSL listener
 * (SCRAM-SHA-512, a throwaway self-signed certificate made by {@code keytool}) and the StandardAuthorizer; each role
 * connects as its own principal holding exactly the ACLs the doc's table lists, and the pipeline still detects the
 * seed incident; a role missing one ACL fails promptly with a message naming the topic or group; no SCRAM password
 * appears in any log line or error message of the run.
 *
 * <p>This class starts its own broker, not the testkit's shared one: that one is PLAINTEXT without an authorizer.
 * Here the PLAINTEXT listener stays for the broker itself and for this test's set-up (its principal,
 * {@code User:ANONYMOUS}, is the super user that creates topics, SCRAM credentials and ACLs); every role under test
 * connects through SASL_SSL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LeastPrivilegeIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(45);
    private static final String SASL_LISTENER = "SASL_SSL";
    private static final String PREFIX = "lp.";
    private static final String APPLICATION_ID = PREFIX + StreamsSettings.DEFAULT_APPLICATION_ID;

    private final Topics topics = Topics.withPrefix(PREFIX);
    // random per run, so the log grep cannot match anything else
    private final String collectPassword = "collect-" + UUID.randomUUID();
    private final String streamsPassword = "streams-" + UUID.randomUUID();
    private final String noGroupPassword = "nogroup-" + UUID.randomUUID();
    private final String noWritePassword = "nowrite-" + UUID.randomUUID();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger kafkaLogger = (Logger) LoggerFactory.getLogger("org.apache.kafka");
    private Level kafkaLevel;

    private Path dir;
    private Path truststore;
    private EmbeddedKafka kafka;
    private int saslPort;

    @BeforeAll
    void startSecuredBroker() throws Exception {
        final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        logs.start();
        root.addAppender(logs);
        // INFO shows the clients' configuration dumps, the likeliest place for a leaked sasl.jaas.config
        kafkaLevel = kafkaLogger.getLevel();
        kafkaLogger.setLevel(Level.INFO);

        dir = Files.createTempDirectory("vipwatch-least-privilege-");
        final String storePassword = "store-" + UUID.randomUUID();
        final Path keystore = dir.resolve("broker.p12");
        truststore = dir.resolve("broker.pem");
        keytool("-genkeypair", "-alias", "broker", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "1",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", storePassword);
        keytool("-exportcert", "-rfc", "-alias", "broker", "-keystore", keystore.toString(),
                "-storepass", storePassword, "-file", truststore.toString());

        saslPort = freePort();
        final String listener = "listener.name." + SASL_LISTENER.toLowerCase() + ".";
        kafka = EmbeddedKafka.builder()
                .numPartitions(2)
                .listener(SASL_LISTENER, "SASL_SSL", saslPort)
                .brokerConfig("sasl.enabled.mechanisms", "SCRAM-SHA-512")
                .brokerConfig(listener + "scram-sha-512.sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required;")
                .brokerConfig(listener + "ssl.keystore.type", "PKCS12")
                .brokerConfig(listener + "ssl.keystore.location", keystore.toString())
                .brokerConfig(listener + "ssl.keystore.password", storePassword)
                .brokerConfig(listener + "ssl.key.password", storePassword)
                .brokerConfig("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
                .brokerConfig("super.users", "User:ANONYMOUS")
                .start();

        try (Admin admin = Admin.create(superUser())) {
            topics.ensureCreated(admin, 2, (short) 1);
            admin.alterUserScramCredentials(List.of(
                    scram("collect", collectPassword), scram("streams", streamsPassword),
                    scram("streams-without-group", noGroupPassword), scram("collect-without-write", noWritePassword)))
                    .all().get(30, TimeUnit.SECONDS);
            final List<AclBinding> acls = new ArrayList<>();
            acls.addAll(collectAcls("collect", null));
            acls.addAll(streamsAcls("streams", true));
            acls.addAll(streamsAcls("streams-without-group", false));
            acls.addAll(collectAcls("collect-without-write", topics.heartbeats()));
            admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
            // DescribeAcls answers from the broker's authorizer: once it lists them all, the broker has applied the
            // metadata up to the ACLs, SCRAM credentials included
            Poll.until("the broker to apply the ACLs", TIMEOUT,
                    () -> admin.describeAcls(AclBindingFilter.ANY).values().get().size() == acls.size(), Boolean::booleanValue);
        }
    }

    @AfterAll
    void stopBroker() throws IOException {
        kafkaLogger.setLevel(kafkaLevel);
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        if (kafka != null) {
            kafka.close();
        }
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    @Test
    void eachRoleWithOnlyItsDocumentedAclsRunsThePipeline() throws Exception {
        final StreamsSettings settings = StreamsSettings.of(client("streams", streamsPassword), topics)
                .withApplicationId(APPLICATION_ID)
                .withStateDir(Files.createTempDirectory(dir, "streams-"))
                .withDetection(DetectionConfig.defaults())
                .withPunctuation(StreamsSettings.DEFAULT_PUNCTUATION_INTERVAL, false)
                .withStartTimeout(TIMEOUT);
        try (VipwatchStreams streams = VipwatchStreams.start(settings);
                InputPublisher collector = new InputPublisher(client("collect", collectPassword), topics)) {
            Scenario.seedIncident("c1").events().forEach(collector::publish);
            collector.flush();

            final List<Alert> alerts = consume(topics.alerts(), 2);
            assertThat(alerts).extracting(Alert::getState, Alert::getKind).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(AlertState.OPENED, AlertKind.FOREIGN_BINDING),
                    org.assertj.core.groups.Tuple.tuple(AlertState.RESOLVED, AlertKind.FOREIGN_BINDING));
            assertThat(streams.failure()).isNull();
        }
        assertNoPasswordLogged();
    }

    @Test
    void streamsWithoutItsGroupAclFailsAtStartNamingTheGroup() throws Exception {
        final StreamsSettings settings = StreamsSettings.of(client("streams-without-group", noGroupPassword), topics)
                .withApplicationId(APPLICATION_ID)
                .withStateDir(Files.createTempDirectory(dir, "streams-"))
                .withDetection(DetectionConfig.defaults())
                .withStartTimeout(TIMEOUT);
        final long started = System.nanoTime();
        assertThatThrownBy(() -> VipwatchStreams.start(settings).close())
                .satisfies(e -> assertThat(messages(e)).contains(APPLICATION_ID).containsIgnoringCase("group")
                        .doesNotContain(noGroupPassword));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(TIMEOUT);
        assertNoPasswordLogged();
    }

    @Test
    void aCollectorWithoutWriteOnOneTopicFailsNamingTheTopic() {
        try (InputPublisher collector = new InputPublisher(client("collect-without-write", noWritePassword), topics)) {
            assertThatThrownBy(() -> {
                Scenario.seedIncident("c1").events().forEach(collector::publish);
                collector.flush();
            }).satisfies(e -> assertThat(messages(e)).contains(topics.heartbeats()).doesNotContain(noWritePassword));
        }
        assertNoPasswordLogged();
    }

    private void assertNoPasswordLogged() {
        final List<ILoggingEvent> events = List.copyOf(logs.list);
        assertThat(events).as("log lines captured").isNotEmpty();
        for (final ILoggingEvent event : events) {
            final StringBuilder text = new StringBuilder(event.getFormattedMessage());
            for (var t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                text.append('\n').append(t.getClassName()).append(": ").append(t.getMessage());
            }
            for (final String password : List.of(collectPassword, streamsPassword, noGroupPassword, noWritePassword)) {
                assertThat(text.toString()).as("a log line of %s", event.getLoggerName()).doesNotContain(password);
            }
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

    /** WRITE, DESCRIBE on the five input topics; IDEMPOTENT_WRITE on the cluster (docs/security.md, `collect`). */
    private List<AclBinding> collectAcls(final String user, final String withoutWrite) {
        final List<AclBinding> acls = new ArrayList<>();
        for (final String topic : topics.inputs()) {
            if (!topic.equals(withoutWrite)) {
                acls.add(allow(user, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.WRITE));
            }
            acls.add(allow(user, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.DESCRIBE));
        }
        acls.add(allow(user, ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL, AclOperation.IDEMPOTENT_WRITE));
        return acls;
    }

    /** The `streams` row of docs/security.md's table, optionally without the ACL on its group. */
    private List<AclBinding> streamsAcls(final String user, final boolean group) {
        final List<AclBinding> acls = new ArrayList<>();
        for (final String topic : topics.inputs()) {
            acls.add(allow(user, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.READ));
            acls.add(allow(user, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.DESCRIBE));
        }
        for (final String topic : List.of(topics.alerts(), topics.ownershipChanges(), topics.vipState(), topics.dlq())) {
            acls.add(allow(user, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.WRITE));
            acls.add(allow(user, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.DESCRIBE));
        }
        acls.add(allow(user, ResourceType.TOPIC, APPLICATION_ID, PatternType.PREFIXED, AclOperation.ALL));
        if (group) {
            acls.add(allow(user, ResourceType.GROUP, APPLICATION_ID, PatternType.PREFIXED, AclOperation.ALL));
        }
        acls.add(allow(user, ResourceType.TRANSACTIONAL_ID, APPLICATION_ID, PatternType.PREFIXED, AclOperation.WRITE));
        acls.add(allow(user, ResourceType.TRANSACTIONAL_ID, APPLICATION_ID, PatternType.PREFIXED, AclOperation.DESCRIBE));
        acls.add(allow(user, ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL, AclOperation.IDEMPOTENT_WRITE));
        return acls;
    }

    private static AclBinding allow(final String user, final ResourceType type, final String name,
            final PatternType pattern, final AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW));
    }

    private static UserScramCredentialUpsertion scram(final String user, final String password) {
        return new UserScramCredentialUpsertion(user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096),
                password);
    }

    /** A role's client settings, as its `--kafka-config` file would give them. */
    private Properties client(final String user, final String password) {
        final Properties props = new Properties();
        props.put("bootstrap.servers", "127.0.0.1:" + saslPort);
        props.put("security.protocol", "SASL_SSL");
        props.put("sasl.mechanism", "SCRAM-SHA-512");
        props.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + user + "\" password=\"" + password + "\";");
        props.put("ssl.truststore.type", "PEM");
        props.put("ssl.truststore.location", truststore.toString());
        return props;
    }

    private Properties superUser() {
        final Properties props = new Properties();
        props.put("bootstrap.servers", kafka.bootstrapServers());
        return props;
    }

    private List<Alert> consume(final String topic, final int count) {
        final Properties props = superUser();
        props.put("group.id", "least-privilege-check");
        props.put("auto.offset.reset", "earliest");
        props.put("isolation.level", "read_committed");
        final List<Alert> found = new ArrayList<>();
        try (KafkaConsumer<String, Alert> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                Serdes.alert())) {
            consumer.subscribe(List.of(topic));
            Poll.until("alerts on " + topic, TIMEOUT, () -> {
                for (final ConsumerRecord<String, Alert> record : consumer.poll(Duration.ofMillis(200))) {
                    found.add(record.value());
                }
                return found.size() >= count;
            }, Boolean::booleanValue);
        }
        return found;
    }

    private void keytool(final String... args) throws IOException, InterruptedException {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("keytool.log").toFile()).start();
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + Files.readString(dir.resolve("keytool.log")));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
