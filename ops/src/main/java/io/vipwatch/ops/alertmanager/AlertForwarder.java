package io.vipwatch.ops.alertmanager;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.vipwatch.ops.alertmanager.AlertmanagerTarget.Outcome;
import io.vipwatch.ops.telemetry.AlertMetrics;
import io.vipwatch.ops.telemetry.Telemetry;
import io.vipwatch.schemas.avro.Alert;
import io.vipwatch.schemas.avro.AlertState;
import io.vipwatch.schemas.serde.AvroSerde;
import io.vipwatch.schemas.serde.AvroSerdes;

/**
 * Forwards {@code vipwatch.alerts.v1} to one or more Alertmanagers ({@code POST /api/v2/alerts}).
 *
 * <p>Restart-safe by design (docs/operations.md): the forwarder reads every partition of the alert topic from
 * the beginning on start and keeps each fingerprint's latest transition, so it knows which alerts are open
 * and re-posts them; it commits its consumer group's offsets only once every Alertmanager took every
 * transition read so far. Transitions at or after the committed offsets are posted again after a restart
 * (resolved ones included); those before it only rebuild the picture. Alertmanager down, timing out or
 * answering 5xx/429: the transition stays pending for that Alertmanager and is retried with exponential
 * back-off, and the offsets stay where they are. Open alerts are re-posted every resend interval with
 * {@code endsAt} = now + 4 × the interval, as Prometheus does.
 */
public final class AlertForwarder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AlertForwarder.class);

    /** What the forwarder needs. */
    public record Settings(Properties client, String topic, String groupId, List<String> alertmanagerUrls,
                           String pageUrl, Duration resendInterval, Duration minBackoff, Duration maxBackoff) {

        public static final String DEFAULT_GROUP_ID = "vipwatch-alertmanager";

        public Settings {
            if (alertmanagerUrls == null || alertmanagerUrls.isEmpty()) {
                throw new IllegalArgumentException("--alertmanager-url: give at least one Alertmanager");
            }
            if (resendInterval.isNegative() || resendInterval.isZero()) {
                throw new IllegalArgumentException("--resend-interval must be positive, got " + resendInterval);
            }
            alertmanagerUrls = List.copyOf(alertmanagerUrls);
        }

        public static Settings of(final Properties client, final String topic, final List<String> urls) {
            return new Settings(client, topic, DEFAULT_GROUP_ID, urls, null, Duration.ofMinutes(1),
                    Duration.ofMillis(250), Duration.ofSeconds(30));
        }

        public Settings withGroupId(final String id) {
            return new Settings(client, topic, id, alertmanagerUrls, pageUrl, resendInterval, minBackoff, maxBackoff);
        }

        public Settings withPageUrl(final String url) {
            return new Settings(client, topic, groupId, alertmanagerUrls, url, resendInterval, minBackoff, maxBackoff);
        }

        public Settings withResendInterval(final Duration interval) {
            return new Settings(client, topic, groupId, alertmanagerUrls, pageUrl, interval, minBackoff, maxBackoff);
        }

        public Settings withBackoff(final Duration min, final Duration max) {
            return new Settings(client, topic, groupId, alertmanagerUrls, pageUrl, resendInterval, min, max);
        }
    }

    private final Settings settings;
    private final AlertmanagerPayload payload;
    private final Clock clock;
    private final KafkaConsumer<String, byte[]> consumer;
    private final AvroSerde<Alert> serde = AvroSerdes.alert();
    private final List<AlertmanagerTarget> targets = new ArrayList<>();
    /** each fingerprint's latest transition; resolved ones leave once every Alertmanager has them */
    private final Map<String, Alert> latest = new LinkedHashMap<>();
    private final Map<Outcome, AtomicLong> posts = new EnumMap<>(Outcome.class);
    private final AtomicLong transitions = new AtomicLong();
    private final AtomicLong undecodable = new AtomicLong();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;
    private volatile int open;
    private volatile Throwable failure;
    private volatile AlertMetrics alertMetrics;

    private AlertForwarder(final Settings settings, final Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.payload = new AlertmanagerPayload(settings.pageUrl(), settings.resendInterval());
        final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        settings.alertmanagerUrls().forEach(url ->
                targets.add(new AlertmanagerTarget(url, http, settings.minBackoff(), settings.maxBackoff())));
        for (final Outcome outcome : Outcome.values()) {
            posts.put(outcome, new AtomicLong());
        }
        final Properties props = new Properties();
        props.putAll(settings.client());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, settings.groupId());
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "alertmanager-forwarder");
    }

    /** Starts forwarding in a thread of its own. */
    public static AlertForwarder start(final Settings settings) {
        return start(settings, null);
    }

    /** Starts forwarding, its metrics and readiness in {@code telemetry} (null: none). */
    public static AlertForwarder start(final Settings settings, final Telemetry telemetry) {
        final AlertForwarder forwarder = new AlertForwarder(settings, Clock.systemUTC());
        if (telemetry != null) {
            forwarder.bindTo(telemetry);
        }
        forwarder.thread.start();
        return forwarder;
    }

    /** True once the topic was read up to its end as of the start (the open alerts are known). */
    public boolean caughtUp() {
        return caughtUp.getCount() == 0;
    }

    public boolean awaitCaughtUp(final Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Posts by outcome ({@code sent}, {@code retried}, {@code rejected}), over every Alertmanager. */
    public long posts(final String outcome) {
        return posts.get(Outcome.valueOf(outcome.toUpperCase(Locale.ROOT))).get();
    }

    /** Alert transitions read from the topic. */
    public long transitions() {
        return transitions.get();
    }

    /** Records on the topic that are not alerts (skipped). */
    public long undecodable() {
        return undecodable.get();
    }

    /** Alerts open as last read. */
    public int openAlerts() {
        return open;
    }

    /** Transitions not yet taken by every Alertmanager. */
    public synchronized int pending() {
        return targets.stream().mapToInt(target -> target.pending.size()).max().orElse(0);
    }

    /** Why the last post to each Alertmanager that failed failed; empty when all are fine. */
    public synchronized Map<String, String> errors() {
        final Map<String, String> errors = new LinkedHashMap<>();
        targets.stream().filter(target -> target.lastError() != null)
                .forEach(target -> errors.put(target.display(), target.lastError()));
        return errors;
    }

    /**
     * Exports {@code vipwatch_alertmanager_posts_total{outcome}}, {@code vipwatch_alertmanager_pending},
     * {@code vipwatch_alerts_open{kind,severity}}, {@code vipwatch_alert_transitions_total{state,kind}}, the
     * consumer's Kafka client metrics, and readiness: caught up with the topic and no Alertmanager failing.
     */
    private AlertForwarder bindTo(final Telemetry telemetry) {
        final MeterRegistry registry = telemetry.registry();
        for (final Outcome outcome : Outcome.values()) {
            FunctionCounter.builder("vipwatch_alertmanager_posts", posts.get(outcome), AtomicLong::get)
                    .description("Posts to Alertmanager by outcome: sent, retried (down, 5xx), rejected (4xx)")
                    .tag("outcome", outcome.name().toLowerCase(Locale.ROOT)).register(registry);
        }
        Gauge.builder("vipwatch_alertmanager_pending", this, AlertForwarder::pending)
                .description("Alert transitions not yet taken by every Alertmanager").register(registry);
        if (registry.find("vipwatch_alerts_open").gauge() == null) { // the demo counts them from its console
            this.alertMetrics = new AlertMetrics(registry);
        }
        new KafkaClientMetrics(consumer).bindTo(registry);
        telemetry.readiness("alertmanager", () -> {
            if (failed()) {
                return Telemetry.Check.notReady("the forwarder stopped");
            }
            if (!caughtUp()) {
                return Telemetry.Check.notReady("reading " + settings.topic() + " up to its end");
            }
            final Map<String, String> errors = errors();
            return errors.isEmpty() ? Telemetry.Check.ok() : Telemetry.Check.notReady("Alertmanager failing: " + errors);
        });
        return this;
    }

    /** The thread died (it never does on Alertmanager or Kafka trouble, only on a bug). */
    public boolean failed() {
        return failure != null || (!thread.isAlive() && running);
    }

    private void run() {
        try {
            final List<TopicPartition> partitions = awaitPartitions();
            consumer.assign(partitions);
            final Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions));
            final Map<TopicPartition, Long> startFrom = new HashMap<>();
            partitions.forEach(tp -> startFrom.put(tp, committed.get(tp) == null ? 0L : committed.get(tp).offset()));
            consumer.seekToBeginning(partitions);
            final Map<TopicPartition, Long> endAtStart = consumer.endOffsets(partitions);
            LOG.info("alertmanager forwarder: rebuilding open alerts from {} ({} partitions), then forwarding to {}",
                    settings.topic(), partitions.size(), targets.stream().map(AlertmanagerTarget::display).toList());
            boolean catchingUp = true;
            long lastResend = System.nanoTime();
            Map<TopicPartition, Long> lastCommitted = new HashMap<>(startFrom);
            while (running) {
                for (final ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    final TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                    apply(record, record.offset() >= startFrom.get(tp));
                }
                if (catchingUp) {
                    if (!reached(partitions, endAtStart)) {
                        continue;
                    }
                    catchingUp = false;
                    markOpenPending(); // after a restart: every open alert again
                    lastResend = System.nanoTime();
                    caughtUp.countDown();
                    LOG.info("alertmanager forwarder: caught up, {} alerts open", open);
                }
                if (System.nanoTime() - lastResend >= settings.resendInterval().toNanos()) {
                    markOpenPending();
                    lastResend = System.nanoTime();
                }
                postDue(false);
                lastCommitted = commitIfDelivered(partitions, lastCommitted);
            }
            postDue(true); // one last try on the way out, back-off or not
            commitIfDelivered(partitions, lastCommitted);
        } catch (final WakeupException e) {
            // closing
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (final RuntimeException e) {
            if (running) {
                failure = e;
                LOG.error("alertmanager forwarder stopped: {}", e.toString(), e);
            }
        } finally {
            caughtUp.countDown();
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private List<TopicPartition> awaitPartitions() throws InterruptedException {
        while (running) {
            final List<PartitionInfo> infos = consumer.partitionsFor(settings.topic(), Duration.ofSeconds(30));
            if (infos != null && !infos.isEmpty()) {
                return infos.stream().map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            }
            LOG.warn("alertmanager forwarder: topic {} does not exist yet; waiting", settings.topic());
            TimeUnit.SECONDS.sleep(2);
        }
        throw new WakeupException();
    }

    private boolean reached(final List<TopicPartition> partitions, final Map<TopicPartition, Long> end) {
        for (final TopicPartition tp : partitions) {
            if (consumer.position(tp) < end.get(tp)) {
                return false;
            }
        }
        return true;
    }

    private synchronized void apply(final ConsumerRecord<String, byte[]> record, final boolean unsent) {
        if (record.value() == null) {
            return;
        }
        final Alert alert;
        try {
            alert = serde.deserialize(record.topic(), record.value());
        } catch (final RuntimeException e) {
            undecodable.incrementAndGet();
            LOG.warn("alertmanager forwarder: skipping {}-{}@{}: not an alert: {}", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            return;
        }
        if (alert == null) {
            return;
        }
        transitions.incrementAndGet();
        final AlertMetrics metrics = alertMetrics;
        if (metrics != null) {
            metrics.record(alert);
        }
        latest.put(alert.getFingerprint(), alert);
        if (unsent) {
            targets.forEach(target -> target.pending.add(alert.getFingerprint()));
        } else if (alert.getState() == AlertState.RESOLVED && targets.stream().noneMatch(t -> t.pending.contains(alert.getFingerprint()))) {
            latest.remove(alert.getFingerprint());
        }
        open = (int) latest.values().stream().filter(a -> a.getState() != AlertState.RESOLVED).count();
    }

    private synchronized void markOpenPending() {
        latest.forEach((fingerprint, alert) -> {
            if (alert.getState() != AlertState.RESOLVED) {
                targets.forEach(target -> target.pending.add(fingerprint));
            }
        });
    }

    private void postDue(final boolean force) throws InterruptedException {
        for (final AlertmanagerTarget target : targets) {
            final long now = System.nanoTime();
            final List<String> fingerprints;
            final List<Alert> alerts = new ArrayList<>();
            synchronized (this) {
                if (target.pending.isEmpty() || (!force && !target.due(now))) {
                    continue;
                }
                fingerprints = new ArrayList<>(target.pending);
                fingerprints.forEach(fingerprint -> alerts.add(latest.get(fingerprint)));
            }
            final Outcome outcome = target.post(payload.toJson(alerts, Instant.now(clock)), now);
            posts.get(outcome).incrementAndGet();
            synchronized (this) {
                switch (outcome) {
                    case SENT -> {
                        LOG.debug("alertmanager forwarder: {} took {} alerts", target.display(), alerts.size());
                        dropDelivered(target, fingerprints, alerts);
                    }
                    case REJECTED -> {
                        LOG.error("alertmanager forwarder: {} rejected {} alerts as invalid, dropping them: {}",
                                target.display(), alerts.size(), target.lastError());
                        dropDelivered(target, fingerprints, alerts);
                    }
                    case RETRIED -> LOG.warn("alertmanager forwarder: {} failed ({}); {} alerts kept, retrying",
                            target.display(), target.lastError(), target.pending.size());
                }
            }
        }
    }

    /** The target has these in the state posted (a newer transition read meanwhile stays pending). */
    private void dropDelivered(final AlertmanagerTarget target, final List<String> fingerprints, final List<Alert> sent) {
        for (int i = 0; i < fingerprints.size(); i++) {
            final String fingerprint = fingerprints.get(i);
            if (latest.get(fingerprint) == sent.get(i)) {
                target.pending.remove(fingerprint);
                if (sent.get(i).getState() == AlertState.RESOLVED
                        && targets.stream().noneMatch(t -> t.pending.contains(fingerprint))) {
                    latest.remove(fingerprint);
                }
            }
        }
    }

    private Map<TopicPartition, Long> commitIfDelivered(final List<TopicPartition> partitions,
                                                        final Map<TopicPartition, Long> lastCommitted) {
        synchronized (this) {
            if (targets.stream().anyMatch(target -> !target.pending.isEmpty())) {
                return lastCommitted;
            }
        }
        final Map<TopicPartition, Long> positions = new HashMap<>();
        final Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        for (final TopicPartition tp : partitions) {
            final long position = consumer.position(tp);
            positions.put(tp, position);
            if (!Long.valueOf(position).equals(lastCommitted.get(tp))) {
                commit.put(tp, new OffsetAndMetadata(position));
            }
        }
        if (commit.isEmpty()) {
            return lastCommitted;
        }
        try {
            consumer.commitSync(commit, Duration.ofSeconds(10));
            return positions;
        } catch (final RuntimeException e) {
            if (e instanceof WakeupException) {
                throw e;
            }
            LOG.warn("alertmanager forwarder: could not commit offsets (will retry): {}", e.toString());
            return lastCommitted;
        }
    }

    /** Stops after one last attempt to deliver what is pending; commits what was delivered. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(Duration.ofSeconds(30).toMillis());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            consumer.wakeup();
        }
    }
}
