package io.vipwatch.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.vipwatch.embedded.Directories;
import io.vipwatch.embedded.EmbeddedKafka;

/**
 * A dedicated in-process broker for least-privilege tests: a SASL_SSL listener (SCRAM-SHA-512, a throwaway
 * self-signed certificate made by the JDK's {@code keytool}) and the StandardAuthorizer. The shared testkit broker
 * is PLAINTEXT without an authorizer, so these tests start their own (one per test class).
 *
 * <p>The PLAINTEXT listener stays for the broker itself and for the test's set-up: its principal,
 * {@code User:ANONYMOUS}, is the super user ({@link #superUser()}) that creates topics, users and ACLs. Every role
 * under test connects through SASL_SSL with {@link #user}'s client settings, which hold exactly the ACLs given.
 */
public final class SecuredKafka implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String LISTENER = "SASL_SSL";

    private final Path dir;
    private final Path truststore;
    private final int saslPort;
    private final EmbeddedKafka kafka;
    private final List<String> passwords = new ArrayList<>();
    private int aclCount;

    private SecuredKafka(final Path dir, final Path truststore, final int saslPort, final EmbeddedKafka kafka) {
        this.dir = dir;
        this.truststore = truststore;
        this.saslPort = saslPort;
        this.kafka = kafka;
    }

    public static SecuredKafka start() {
        try {
            final Path dir = Files.createTempDirectory("vipwatch-secured-kafka-");
            final String storePassword = "store-" + UUID.randomUUID();
            final Path keystore = dir.resolve("broker.p12");
            final Path truststore = dir.resolve("broker.pem");
            keytool(dir, "-genkeypair", "-alias", "broker", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "1",
                    "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", storePassword);
            keytool(dir, "-exportcert", "-rfc", "-alias", "broker", "-keystore", keystore.toString(),
                    "-storepass", storePassword, "-file", truststore.toString());
            final int saslPort = freePort();
            final String listener = "listener.name." + LISTENER.toLowerCase() + ".";
            final EmbeddedKafka kafka = EmbeddedKafka.builder()
                    .numPartitions(2)
                    .listener(LISTENER, "SASL_SSL", saslPort)
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
            return new SecuredKafka(dir, truststore, saslPort, kafka);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Client settings of the super user (PLAINTEXT), for set-up and checks only. */
    public Properties superUser() {
        final Properties props = new Properties();
        props.put("bootstrap.servers", kafka.bootstrapServers());
        return props;
    }

    /**
     * Creates SCRAM user {@code name} with a random password holding exactly {@code acls} (made with
     * {@link #allow}) and returns its client settings, as the role's {@code --kafka-config} file would give them.
     * Returns once the broker enforces them.
     */
    public synchronized Properties user(final String name, final List<AclBinding> acls) {
        final String password = name + "-" + UUID.randomUUID();
        try (Admin admin = Admin.create(superUser())) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(name,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password)))
                    .all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            admin.createAcls(acls).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            aclCount += acls.size();
            // DescribeAcls answers from the broker's authorizer: once it lists them all, the broker has applied the
            // metadata up to these ACLs, the SCRAM credential included
            final int expected = aclCount;
            Poll.until("the broker to apply the ACLs of " + name, TIMEOUT,
                    () -> admin.describeAcls(AclBindingFilter.ANY).values().get().size(), n -> n == expected);
        } catch (Exception e) {
            throw new IllegalStateException("could not create the Kafka user " + name, e);
        }
        passwords.add(password);
        final Properties props = new Properties();
        props.put("bootstrap.servers", "127.0.0.1:" + saslPort);
        props.put("security.protocol", "SASL_SSL");
        props.put("sasl.mechanism", "SCRAM-SHA-512");
        props.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + name + "\" password=\"" + password + "\";");
        props.put("ssl.truststore.type", "PEM");
        props.put("ssl.truststore.location", truststore.toString());
        return props;
    }

    /** The SCRAM passwords of every user created so far, for the tests that grep logs for them. */
    public synchronized List<String> passwords() {
        return List.copyOf(passwords);
    }

    /**
     * Fails unless {@code events} (log lines captured while the broker's users worked) hold a line, and none of them
     * (message, causes' classes and messages) holds a SCRAM password of this broker's users.
     */
    public void assertNoPasswordLogged(final List<ILoggingEvent> events) {
        assertThat(events).as("log lines captured").isNotEmpty();
        for (final ILoggingEvent event : events) {
            final StringBuilder text = new StringBuilder(event.getFormattedMessage());
            for (var t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                text.append('\n').append(t.getClassName()).append(": ").append(t.getMessage());
            }
            for (final String password : passwords()) {
                assertThat(text.toString()).as("a log line of %s", event.getLoggerName()).doesNotContain(password);
            }
        }
    }

    /** An ALLOW ACL for {@code User:user} from any host. */
    public static AclBinding allow(final String user, final ResourceType type, final String name,
            final PatternType pattern, final AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW));
    }

    /** {@link #allow} on a literal topic, one binding per operation. */
    public static List<AclBinding> topic(final String user, final String topic, final AclOperation... operations) {
        final List<AclBinding> acls = new ArrayList<>();
        for (final AclOperation operation : operations) {
            acls.add(allow(user, ResourceType.TOPIC, topic, PatternType.LITERAL, operation));
        }
        return acls;
    }

    @Override
    public void close() {
        kafka.close();
        try {
            Directories.deleteRecursively(dir);
        } catch (IOException e) {
            // a temp directory left behind is harmless
        }
    }

    private static void keytool(final Path dir, final String... args) throws IOException, InterruptedException {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        final Path log = dir.resolve("keytool.log");
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .start();
        if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException("keytool failed: " + Files.readString(log));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
