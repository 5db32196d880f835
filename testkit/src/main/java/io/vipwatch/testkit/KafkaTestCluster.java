package io.vipwatch.testkit;

import io.vipwatch.embedded.EmbeddedKafka;
import io.vipwatch.schemas.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One test class's view of the shared Kafka broker: the broker's address and a topic prefix no
 * other test class uses, so classes never read each other's records even on a shared external
 * broker. Obtain it by declaring a parameter of this type in a class annotated {@link WithKafka};
 * constructor, {@code @BeforeAll}, {@code @BeforeEach} and test methods of one class (nested
 * classes included) all receive the same instance.
 *
 * <p>Topic names carry the prefix: vipwatch's production topics use prefix {@code ""}, tests pass
 * {@link #topicPrefix()} (for example {@code t4f2a1c.}) to the same topic-naming code. Group ids
 * and Streams application ids made by the helpers here carry it too. When the class finishes, every
 * topic whose name starts with the prefix is deleted.
 */
public final class KafkaTestCluster {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaTestCluster.class);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);

    private final String bootstrapServers;
    private final String topicPrefix;
    private final EmbeddedKafka embeddedBroker;
    // created on first use; guarded by this
    private Admin admin;

    KafkaTestCluster(final String bootstrapServers, final String topicPrefix, final EmbeddedKafka embeddedBroker) {
        this.bootstrapServers = bootstrapServers;
        this.topicPrefix = topicPrefix;
        this.embeddedBroker = embeddedBroker;
    }

    /** The broker's {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** This class's topic prefix, such as {@code t4f2a1c.}. */
    public String topicPrefix() {
        return topicPrefix;
    }

    /** {@code name} with this class's prefix: {@code topic("vipwatch.services.v1")} is {@code t4f2a1c.vipwatch.services.v1}. */
    public String topic(final String name) {
        return topicPrefix + name;
    }

    /**
     * The in-JVM broker, for fault tests that {@link EmbeddedKafka#stop() stop} and
     * {@link EmbeddedKafka#restart() restart} it; empty when the tests use an external or a
     * container broker (skip such tests with {@code assumeTrue(cluster.embeddedBroker().isPresent())}).
     * The broker is shared by every test class of the JVM: leave it running when the test ends.
     */
    public Optional<EmbeddedKafka> embeddedBroker() {
        return Optional.ofNullable(embeddedBroker);
    }

    /** An admin client for this class; the extension closes it, callers must not. */
    public synchronized Admin admin() {
        if (admin == null) {
            final Properties config = new Properties();
            config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            admin = Admin.create(config);
        }
        return admin;
    }

    /**
     * Creates topics with the given full names (use {@link #topic(String)} or the vipwatch topic
     * names built with {@link #topicPrefix()}), one replica each. A topic that already exists is
     * left as it is.
     */
    public void createTopics(final Collection<String> names, final int partitions) {
        final List<NewTopic> topics = names.stream()
                .map(name -> new NewTopic(name, partitions, (short) 1))
                .collect(Collectors.toList());
        admin().createTopics(topics).values().forEach((name, result) -> {
            try {
                result.get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("could not create topic " + name + ": " + e.getCause(), e.getCause());
                }
            } catch (TimeoutException e) {
                throw new IllegalStateException("creating topic " + name + " took longer than " + ADMIN_TIMEOUT, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while creating topic " + name, e);
            }
        });
        Topics.awaitLeaders(admin(), names, ADMIN_TIMEOUT);
    }

    /**
     * Every vipwatch topic ({@link Topics#all()}) under this cluster's prefix followed by {@code sub}, created with
     * {@code partitions} partitions each.
     */
    public Topics createVipwatchTopics(final String sub, final int partitions) {
        final Topics topics = Topics.withPrefix(topicPrefix() + sub);
        final List<String> names = new ArrayList<>();
        topics.all().forEach(spec -> names.add(spec.name()));
        createTopics(names, partitions);
        return topics;
    }

    /**
     * Client settings for a vipwatch role that joins a consumer group on this broker (it adds its own group and
     * serdes): the bootstrap servers, a 6 s session and heartbeats every 1.5 s, so that the group notices a member
     * a test kills within seconds rather than the default 45 s.
     */
    public Properties groupMemberProps() {
        final Properties config = new Properties();
        config.put("bootstrap.servers", bootstrapServers);
        config.put("session.timeout.ms", "6000");
        config.put("heartbeat.interval.ms", "1500");
        return config;
    }

    /** Producer settings for this broker: bootstrap servers and {@code acks=all}. Serializers are up to the caller. */
    public Properties producerProps() {
        final Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        return config;
    }

    /**
     * Consumer settings for this broker: {@code group.id} is {@link #topicPrefix()} + {@code group}
     * (unique to this class), reading from the earliest offset and only committed transactions.
     */
    public Properties consumerProps(final String group) {
        final Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, topicPrefix + group);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return config;
    }

    /**
     * Kafka Streams settings for this broker: {@code application.id} is {@link #topicPrefix()} +
     * {@code applicationId}, so the internal topics carry the prefix too, and {@code state.dir} is a
     * fresh directory under {@code java.io.tmpdir} ({@code target/tmp} in the build).
     */
    public Properties streamsProps(final String applicationId) {
        final Properties config = new Properties();
        config.put("bootstrap.servers", bootstrapServers);
        config.put("application.id", topicPrefix + applicationId);
        try {
            final Path tmp = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
            config.put("state.dir", Files.createTempDirectory(tmp, "kafka-streams-").toString());
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a Kafka Streams state directory", e);
        }
        return config;
    }

    /** Sends records with a new producer and waits until the broker acknowledged each of them. */
    public <K, V> void produce(final Collection<ProducerRecord<K, V>> records, final Serializer<K> keySerializer,
            final Serializer<V> valueSerializer) {
        try (KafkaProducer<K, V> producer = new KafkaProducer<>(producerProps(), keySerializer, valueSerializer)) {
            final List<Future<?>> sent = new ArrayList<>(records.size());
            for (final ProducerRecord<K, V> record : records) {
                sent.add(producer.send(record));
            }
            producer.flush();
            for (final Future<?> acknowledgement : sent) {
                acknowledgement.get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not produce to " + bootstrapServers + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while producing", e);
        }
    }

    /**
     * Reads {@code topic} from the beginning of every partition (no consumer group, committed
     * records only) until the records read so far satisfy {@code done}, and returns them: in offset
     * order within a partition, no particular order across partitions. Waits for the topic to
     * appear if it does not exist yet.
     *
     * <pre>{@code
     * var alerts = cluster.consumeUntil(cluster.topic("vipwatch.alerts.v1"), keys, values,
     *         records -> records.stream().anyMatch(r -> r.value().kind() == FOREIGN_BINDING),
     *         Duration.ofSeconds(20));
     * }</pre>
     *
     * @throws AssertionError if {@code timeout} passes first, naming the topic and the records read
     */
    public <K, V> List<ConsumerRecord<K, V>> consumeUntil(final String topic, final Deserializer<K> keyDeserializer,
            final Deserializer<V> valueDeserializer, final Predicate<? super List<ConsumerRecord<K, V>>> done,
            final Duration timeout) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        final List<ConsumerRecord<K, V>> records = new ArrayList<>();
        try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(readerProps(), keyDeserializer, valueDeserializer)) {
            final List<TopicPartition> partitions = Poll.until("topic " + topic + " to exist", timeout,
                    () -> consumer.partitionsFor(topic, POLL_INTERVAL), found -> found != null && !found.isEmpty())
                    .stream()
                    .map(PartitionInfo::partition)
                    .map(partition -> new TopicPartition(topic, partition))
                    .collect(Collectors.toList());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (!done.test(records)) {
                if (System.nanoTime() - deadline >= 0) {
                    throw new AssertionError("Timed out after " + timeout + " reading " + topic + ": " + records.size()
                            + " records did not satisfy the condition; last ones: " + describeTail(records));
                }
                consumer.poll(POLL_INTERVAL).forEach(records::add);
            }
            return records;
        }
    }

    /** Reads {@code topic} until at least {@code count} records arrived; see {@link #consumeUntil}. */
    public <K, V> List<ConsumerRecord<K, V>> consumeAtLeast(final String topic, final Deserializer<K> keyDeserializer,
            final Deserializer<V> valueDeserializer, final int count, final Duration timeout) {
        return consumeUntil(topic, keyDeserializer, valueDeserializer, records -> records.size() >= count, timeout);
    }

    @Override
    public String toString() {
        return "KafkaTestCluster[" + bootstrapServers + ", prefix " + topicPrefix + "]";
    }

    /** Closes the admin client and deletes this class's topics; called by the extension. */
    void release() {
        try {
            deleteOwnTopics();
        } finally {
            synchronized (this) {
                if (admin != null) {
                    admin.close(Duration.ofSeconds(5));
                    admin = null;
                }
            }
        }
    }

    private void deleteOwnTopics() {
        if (embeddedBroker != null && !embeddedBroker.isRunning()) {
            LOG.warn("The embedded broker is stopped; topics with prefix {} stay", topicPrefix);
            return;
        }
        try {
            final Set<String> own = admin().listTopics().names().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .stream()
                    .filter(name -> name.startsWith(topicPrefix))
                    .collect(Collectors.toSet());
            if (!own.isEmpty()) {
                admin().deleteTopics(own).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Could not delete the topics with prefix {} from {}", topicPrefix, bootstrapServers, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Properties readerProps() {
        final Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return config;
    }

    private static String describeTail(final List<? extends ConsumerRecord<?, ?>> records) {
        return records.subList(Math.max(0, records.size() - 5), records.size()).stream()
                .map(record -> record.topic() + "-" + record.partition() + "@" + record.offset()
                        + " " + record.key() + "=" + record.value())
                .collect(Collectors.joining(", ", "[", "]"));
    }
}
