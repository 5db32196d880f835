package io.vipwatch.schemas.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.apache.kafka.clients.CommonClientConfigs;

import io.vipwatch.schemas.Topics;
import picocli.CommandLine.Option;

/**
 * How every role reaches Kafka: a picocli mixin shared by all subcommands, so the flags and environment
 * variables are the same everywhere. TLS/SASL settings come from a client properties file
 * ({@code --kafka-config}), never from flags, so no secret shows in a process list.
 */
public final class KafkaOptions {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT,...",
            defaultValue = "${env:VIPWATCH_BOOTSTRAP_SERVERS}",
            description = "Kafka bootstrap servers (env VIPWATCH_BOOTSTRAP_SERVERS).")
    String bootstrapServers;

    @Option(names = "--kafka-config", paramLabel = "FILE", defaultValue = "${env:VIPWATCH_KAFKA_CONFIG}",
            description = "Kafka client properties file: security.protocol, sasl.*, ssl.* (env VIPWATCH_KAFKA_CONFIG).")
    Path kafkaConfig;

    @Option(names = "--topic-prefix", paramLabel = "PREFIX", defaultValue = "${env:VIPWATCH_TOPIC_PREFIX:-}",
            description = "Prefix for every topic name, for tenants sharing a broker (env VIPWATCH_TOPIC_PREFIX; default none).")
    String topicPrefix = "";

    public KafkaOptions() {
    }

    /** For code that sets the values itself (the demo, tests). */
    public static KafkaOptions of(final String bootstrapServers, final String topicPrefix) {
        final KafkaOptions options = new KafkaOptions();
        options.bootstrapServers = bootstrapServers;
        options.topicPrefix = topicPrefix == null ? "" : topicPrefix;
        return options;
    }

    public boolean hasBootstrapServers() {
        return bootstrapServers != null && !bootstrapServers.isBlank();
    }

    /** @throws IllegalArgumentException naming the flag when no broker is given */
    public String bootstrapServers() {
        if (!hasBootstrapServers()) {
            throw new IllegalArgumentException("no Kafka broker: give --bootstrap-servers or set VIPWATCH_BOOTSTRAP_SERVERS");
        }
        return bootstrapServers;
    }

    public Topics topics() {
        return Topics.withPrefix(topicPrefix);
    }

    /**
     * Client properties: the bootstrap servers plus everything in the {@code --kafka-config} file.
     *
     * @throws IllegalArgumentException naming the file when it cannot be read
     */
    public Properties clientProperties() {
        final Properties props = new Properties();
        if (kafkaConfig != null) {
            try (InputStream in = Files.newInputStream(kafkaConfig)) {
                props.load(in);
            } catch (final IOException e) {
                throw new IllegalArgumentException("--kafka-config " + kafkaConfig + ": cannot read: " + e.getMessage(), e);
            }
        }
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return props;
    }
}
