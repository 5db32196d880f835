package io.vipwatch.app;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vipwatch.schemas.avro.Alert;
import io.vipwatch.schemas.serde.AvroSerde;
import io.vipwatch.schemas.serde.AvroSerdes;

/**
 * Follows the alert topic from its current end and prints each transition as one readable line. Reads only
 * committed records (the streams app writes transactionally).
 */
final class AlertConsole implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AlertConsole.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final PrintWriter out;
    private final AvroSerde<Alert> serde = AvroSerdes.alert();
    private final List<Consumer<Alert>> listeners = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    AlertConsole(final Properties clientProperties, final String topic, final PrintWriter out) {
        final Properties props = new Properties();
        props.putAll(clientProperties);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "vipwatch-demo-console");
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        this.topic = topic;
        this.out = out;
        // assign all partitions at their current end before anything is published, so nothing is missed
        final var partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        this.thread = new Thread(this::run, "alert-console");
        this.thread.setDaemon(true);
    }

    void onAlert(final Consumer<Alert> listener) {
        listeners.add(listener);
    }

    void start() {
        thread.start();
    }

    private void run() {
        try {
            while (running) {
                for (final ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    final Alert alert;
                    try {
                        alert = serde.deserialize(record.topic(), record.value());
                    } catch (final SerializationException e) {
                        LOG.warn("skipping {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                                e.getMessage());
                        continue;
                    }
                    if (alert == null) {
                        continue;
                    }
                    out.println(format(alert));
                    out.flush();
                    listeners.forEach(listener -> listener.accept(alert));
                }
            }
        } catch (final WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    /** One readable line: time, state, kind, severity, where, who, and the hint. */
    static String format(final Alert alert) {
        final StringBuilder line = new StringBuilder(200);
        line.append(Instant.ofEpochMilli(alert.getAt())).append("  ")
                .append(String.format("%-8s %-20s %-8s", alert.getState(), alert.getKind(),
                        alert.getSeverity().name().toLowerCase(Locale.ROOT)))
                .append(" cluster=").append(alert.getCluster());
        if (alert.getVip() != null) {
            line.append(" vip=").append(alert.getVip());
        }
        if (alert.getService() != null) {
            line.append(" service=").append(alert.getService());
        }
        if (!alert.getNodes().isEmpty()) {
            line.append(" nodes=").append(String.join(",", alert.getNodes()));
        }
        if (alert.getHint() != null) {
            line.append("  hint: ").append(alert.getHint());
        }
        return line.toString();
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
