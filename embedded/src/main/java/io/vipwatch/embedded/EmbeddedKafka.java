package io.vipwatch.embedded;

import io.vipwatch.embedded.internal.FreePorts;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.internals.Exit;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker running inside this JVM: KRaft mode, one process acting as broker
 * and controller, PLAINTEXT on 127.0.0.1. Built from Kafka's production server classes only, so the
 * {@code vipwatch demo} command can use it as well as the tests.
 *
 * <p>Topics are never created automatically ({@code auto.create.topics.enable=false}): whoever
 * produces creates them first. New topics default to {@value #DEFAULT_PARTITIONS} partitions so
 * several Kafka Streams instances can share the work. Internal topics have replication factor 1.
 *
 * <p>The controller quorum is static ({@code controller.quorum.voters}), not a dynamic quorum: its
 * voter endpoint lives in the configuration rather than in the metadata log, so a kept data
 * directory can be reopened on different ports.
 *
 * <p>Kafka's fatal-fault paths call {@link Exit}; starting a broker here replaces the JVM-wide exit
 * and halt procedures with ones that log and throw, so a broker fault cannot end the demo or a test
 * JVM.
 */
public final class EmbeddedKafka implements AutoCloseable {

    /** Partitions of a topic created without an explicit count. */
    public static final int DEFAULT_PARTITIONS = 3;

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final String HOST = "127.0.0.1";
    private static final int NODE_ID = 1;
    private static final String BROKER_LISTENER = "PLAINTEXT";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final AtomicBoolean EXIT_GUARD_INSTALLED = new AtomicBoolean();

    private final Path dataDir;
    private final boolean ownsDataDir;
    private final int brokerPort;
    private final Properties brokerConfig;

    // null while the broker is stopped; guarded by this
    private KafkaRaftServer server;
    private boolean closed;

    private EmbeddedKafka(final Path dataDir, final boolean ownsDataDir, final int brokerPort,
            final Properties brokerConfig) {
        this.dataDir = dataDir;
        this.ownsDataDir = ownsDataDir;
        this.brokerPort = brokerPort;
        this.brokerConfig = brokerConfig;
    }

    /** Starts a broker on free ports with its data in a temp directory that {@link #close()} deletes. */
    public static EmbeddedKafka start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code 127.0.0.1:PORT}, for {@code bootstrap.servers}. Stays the same across {@link #restart()}. */
    public String bootstrapServers() {
        return HOST + ":" + brokerPort;
    }

    /** Where the broker keeps its log and metadata directories. */
    public Path dataDir() {
        return dataDir;
    }

    /** A copy of the broker configuration, for diagnostics. */
    public Properties brokerConfig() {
        final Properties copy = new Properties();
        copy.putAll(brokerConfig);
        return copy;
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    /**
     * Shuts the broker down, keeping its data and ports, so a test can watch clients cope with a
     * broker outage; {@link #restart()} brings it back. Does nothing if it is already stopped.
     */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        final long started = System.nanoTime();
        final KafkaRaftServer stopping = server;
        server = null;
        stopping.shutdown();
        stopping.awaitShutdown();
        LOG.info("Kafka broker at {} stopped in {} ms", bootstrapServers(), millisSince(started));
    }

    /** Stops the broker if it runs, then starts it again on the same directories and ports. */
    public synchronized void restart() {
        if (closed) {
            throw new IllegalStateException("the embedded Kafka broker at " + bootstrapServers() + " is closed");
        }
        stop();
        startServer();
    }

    /** Stops the broker and deletes its data unless the data directory was given by the caller. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stop();
        if (ownsDataDir) {
            try {
                Directories.deleteRecursively(dataDir);
            } catch (IOException e) {
                LOG.warn("Could not delete the Kafka data directory {}", dataDir, e);
            }
        }
    }

    @Override
    public String toString() {
        return "EmbeddedKafka[" + bootstrapServers() + ", " + dataDir + "]";
    }

    private void startServer() {
        final long started = System.nanoTime();
        final KafkaConfig config = KafkaConfig.fromProps(brokerConfig, false);
        format(config);
        final KafkaRaftServer starting = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            starting.startup();
            awaitReady();
        } catch (RuntimeException e) {
            try {
                starting.shutdown();
                starting.awaitShutdown();
            } catch (RuntimeException shutdownFailure) {
                e.addSuppressed(shutdownFailure);
            }
            throw e;
        }
        server = starting;
        LOG.info("Kafka broker ready at {} in {} ms", bootstrapServers(), millisSince(started));
    }

    /** Formats the log directory once; a directory that already holds a broker is left alone. */
    private static void format(final KafkaConfig config) {
        // the formatter's ignore-formatted mode still insists on the cluster id it was given
        if (Files.exists(Path.of(config.metadataLogDir(), "meta.properties"))) {
            return;
        }
        final Formatter formatter = new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(config.nodeId())
                .setClusterId(Uuid.randomUuid().toString())
                .setDirectories(List.of(config.metadataLogDir()))
                .setMetadataLogDirectory(config.metadataLogDir())
                .setControllerListenerName(CONTROLLER_LISTENER)
                .setHasDynamicQuorum(false)
                .setWriteBootstrapSnapshot(true)
                .setUnstableFeatureVersionsEnabled(config.unstableFeatureVersionsEnabled());
        try {
            formatter.run();
        } catch (Exception e) {
            throw new IllegalStateException("could not format the Kafka log directory " + config.metadataLogDir(), e);
        }
    }

    /** Returns once the broker answers a metadata request and lists itself as alive. */
    private void awaitReady() {
        final Properties adminConfig = new Properties();
        adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        adminConfig.put(AdminClientConfig.CLIENT_ID_CONFIG, "vipwatch-embedded-readiness");
        try (Admin admin = Admin.create(adminConfig)) {
            final int nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) READY_TIMEOUT.toMillis()))
                    .nodes().get().size();
            if (nodes == 0) {
                throw new IllegalStateException("the Kafka broker at " + bootstrapServers() + " lists no alive broker");
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("the Kafka broker at " + bootstrapServers() + " did not become ready within "
                    + READY_TIMEOUT.toSeconds() + " s", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the Kafka broker at " + bootstrapServers(), e);
        }
    }

    private static long millisSince(final long nanoTime) {
        return Duration.ofNanos(System.nanoTime() - nanoTime).toMillis();
    }

    /**
     * Kafka calls {@code Exit.exit}/{@code Exit.halt} on fatal faults (for example a metadata log it
     * cannot apply). In-process that would end the whole JVM; log and throw in the faulting thread
     * instead.
     */
    private static void guardJvmExit() {
        if (!EXIT_GUARD_INSTALLED.compareAndSet(false, true)) {
            return;
        }
        Exit.setExitProcedure((status, message) -> refuse("exit", status, message));
        Exit.setHaltProcedure((status, message) -> refuse("halt", status, message));
    }

    private static void refuse(final String action, final int status, final String message) {
        final String text = "Kafka asked the JVM to " + action + " with status " + status
                + (message == null ? "" : ": " + message) + "; refused because the broker is embedded";
        LOG.error(text);
        throw new IllegalStateException(text);
    }

    /** Options for {@link EmbeddedKafka}; every option has a default. */
    public static final class Builder {

        private Path dataDir;
        private int port;
        private int partitions = DEFAULT_PARTITIONS;
        // extra listener name -> "PROTOCOL:port", besides the PLAINTEXT client listener
        private final Map<String, String> listeners = new LinkedHashMap<>();
        // broker config key -> value, applied last
        private final Map<String, String> overrides = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Keeps the broker's data in {@code dir} (created if missing) and leaves it there on close.
         * A directory that already holds a broker's data is reopened, topics and records included.
         * Default: a fresh temp directory that close deletes.
         */
        public Builder dataDir(final Path dir) {
            this.dataDir = Objects.requireNonNull(dir, "dir");
            return this;
        }

        /** The client (PLAINTEXT) port; 0, the default, picks a free one. */
        public Builder port(final int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be 0..65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /** {@code num.partitions}: partitions of a topic created without a count. */
        public Builder numPartitions(final int partitions) {
            if (partitions < 1) {
                throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
            }
            this.partitions = partitions;
            return this;
        }

        /**
         * Adds a client listener {@code name} (for example {@code SASL_SSL}) on 127.0.0.1:{@code port} besides
         * the PLAINTEXT one, which stays the inter-broker listener and {@link #bootstrapServers()}. Its security
         * settings ({@code listener.name.<name>.*}, {@code sasl.enabled.mechanisms}, ...) come through
         * {@link #brokerConfig(String, String)}.
         */
        public Builder listener(final String name, final String securityProtocol, final int port) {
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("port must be 1..65535, got " + port);
            }
            listeners.put(Objects.requireNonNull(name, "name"),
                    Objects.requireNonNull(securityProtocol, "securityProtocol") + ":" + port);
            return this;
        }

        /** Sets one broker configuration key, overriding the defaults. */
        public Builder brokerConfig(final String key, final String value) {
            overrides.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Sets several broker configuration keys, overriding the defaults. */
        public Builder brokerConfig(final Map<String, String> config) {
            config.forEach(this::brokerConfig);
            return this;
        }

        /** Starts the broker and returns once it serves clients. */
        public EmbeddedKafka start() {
            guardJvmExit();
            final boolean ownsDataDir = dataDir == null;
            final Path dir = ownsDataDir ? Directories.createTemp("vipwatch-kafka-") : dataDir;
            try {
                final Path logDir = Files.createDirectories(dir.resolve("kraft-combined-logs"));
                final int[] free = FreePorts.pick(2);
                final int brokerPort = port != 0 ? port : free[0];
                final int controllerPort = free[1];
                final EmbeddedKafka kafka = new EmbeddedKafka(dir, ownsDataDir, brokerPort,
                        config(logDir, brokerPort, controllerPort));
                try {
                    kafka.startServer();
                } catch (RuntimeException e) {
                    kafka.close();
                    throw e;
                }
                return kafka;
            } catch (IOException e) {
                throw new UncheckedIOException("could not create the Kafka data directory under " + dir, e);
            }
        }

        private Properties config(final Path logDir, final int brokerPort, final int controllerPort) {
            final Properties config = new Properties();
            config.put("process.roles", "broker,controller");
            config.put("node.id", Integer.toString(NODE_ID));
            config.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
            final StringBuilder extra = new StringBuilder();
            final StringBuilder extraProtocols = new StringBuilder();
            listeners.forEach((name, protocolAndPort) -> {
                final int colon = protocolAndPort.lastIndexOf(':');
                extra.append(',').append(name).append("://").append(HOST).append(protocolAndPort.substring(colon));
                extraProtocols.append(',').append(name).append(':').append(protocolAndPort, 0, colon);
            });
            config.put("listeners", BROKER_LISTENER + "://" + HOST + ":" + brokerPort + ","
                    + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort + extra);
            config.put("advertised.listeners", BROKER_LISTENER + "://" + HOST + ":" + brokerPort + extra);
            config.put("listener.security.protocol.map", BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER
                    + ":PLAINTEXT" + extraProtocols);
            config.put("inter.broker.listener.name", BROKER_LISTENER);
            config.put("controller.listener.names", CONTROLLER_LISTENER);
            config.put("log.dirs", logDir.toAbsolutePath().toString());
            config.put("num.partitions", Integer.toString(partitions));
            config.put("auto.create.topics.enable", "false");
            // one node: every internal topic has a single replica
            config.put("default.replication.factor", "1");
            config.put("min.insync.replicas", "1");
            config.put("offsets.topic.replication.factor", "1");
            config.put("transaction.state.log.replication.factor", "1");
            config.put("transaction.state.log.min.isr", "1");
            config.put("share.coordinator.state.topic.replication.factor", "1");
            config.put("share.coordinator.state.topic.min.isr", "1");
            // 50 partitions each (the defaults) make the first consumer group and the first
            // transaction wait for 50 partition leaders; one node gains nothing from them
            config.put("offsets.topic.num.partitions", "5");
            config.put("transaction.state.log.num.partitions", "5");
            // the first group forms at once instead of waiting 3 s for more members
            config.put("group.initial.rebalance.delay.ms", "0");
            // the cleaner's 128 MB default dedupe buffer dominates the heap of a small broker
            config.put("log.cleaner.dedupe.buffer.size", "2097152");
            // Replayed recordings keep their (often weeks-old) event times as record timestamps: time-based
            // retention would delete them at the broker's first retention check, mid-test or mid-demo. The
            // embedded broker's data is small and thrown away with it, so it keeps everything.
            config.put("log.retention.ms", "-1");
            config.putAll(overrides);
            return config;
        }
    }
}
