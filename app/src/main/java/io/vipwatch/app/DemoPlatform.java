package io.vipwatch.app;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Properties;

import javax.sql.DataSource;

import org.apache.kafka.clients.admin.Admin;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vipwatch.embedded.EmbeddedKafka;
import io.vipwatch.schemas.policy.Redaction;
import io.vipwatch.embedded.PostgresServer;
import io.vipwatch.schemas.Topics;
import io.vipwatch.schemas.cli.KafkaOptions;

/**
 * The services the demo runs on: the Kafka broker and PostgreSQL it was given, or real embedded ones it
 * starts itself. Closing stops only what it started, in reverse order.
 */
final class DemoPlatform implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DemoPlatform.class);
    static final String DATABASE = "vipwatch";

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final Properties kafkaClient;
    private final Topics topics;
    private final DataSource dataSource;
    private final String jdbcUrl;

    DemoPlatform(final KafkaOptions kafka, final String jdbcUrl, final String jdbcUser, final String jdbcPassword) {
        try {
            if (kafka.hasBootstrapServers()) {
                kafkaClient = kafka.clientProperties();
                LOG.info("using Kafka at {}", kafka.bootstrapServers());
            } else {
                final EmbeddedKafka broker = EmbeddedKafka.start();
                started.push(broker);
                kafkaClient = KafkaOptions.of(broker.bootstrapServers(), null).clientProperties();
            }
            topics = kafka.topics();
            try (Admin admin = Admin.create(kafkaClient)) {
                topics.ensureCreated(admin, EmbeddedKafka.DEFAULT_PARTITIONS, (short) 1);
            }
            if (jdbcUrl != null && !jdbcUrl.isBlank()) {
                final PGSimpleDataSource external = new PGSimpleDataSource();
                external.setURL(jdbcUrl);
                if (jdbcUser != null) {
                    external.setUser(jdbcUser);
                }
                if (jdbcPassword != null) {
                    external.setPassword(jdbcPassword);
                }
                this.dataSource = external;
                this.jdbcUrl = jdbcUrl;
                LOG.info("using PostgreSQL at {}", Redaction.url(jdbcUrl));
            } else {
                final PostgresServer postgres = PostgresServer.embedded();
                started.push(postgres);
                postgres.createDatabase(DATABASE);
                this.dataSource = postgres.dataSource(DATABASE);
                this.jdbcUrl = postgres.jdbcUrl(DATABASE);
                LOG.info("embedded PostgreSQL at {}", Redaction.url(this.jdbcUrl));
            }
        } catch (final RuntimeException e) {
            close();
            throw e;
        }
    }

    Properties kafkaClient() {
        final Properties copy = new Properties();
        copy.putAll(kafkaClient);
        return copy;
    }

    Topics topics() {
        return topics;
    }

    DataSource dataSource() {
        return dataSource;
    }

    String jdbcUrl() {
        return jdbcUrl;
    }

    /** Closed in reverse order with everything else the demo starts. */
    <T extends AutoCloseable> T own(final T resource) {
        started.push(resource);
        return resource;
    }

    @Override
    public void close() {
        while (!started.isEmpty()) {
            final AutoCloseable resource = started.pop();
            try {
                resource.close();
            } catch (final Exception e) {
                LOG.warn("error while stopping {}: {}", resource, e.toString());
            }
        }
    }
}
