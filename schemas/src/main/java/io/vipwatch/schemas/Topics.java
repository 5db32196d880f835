package io.vipwatch.schemas;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

import io.vipwatch.schemas.event.AnnouncementChange;
import io.vipwatch.schemas.event.Heartbeat;
import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.schemas.event.NodeAddresses;
import io.vipwatch.schemas.event.NodeFacts;
import io.vipwatch.schemas.event.ServiceChange;
import io.vipwatch.schemas.event.WireObservation;

/**
 * Every topic vipwatch reads or writes (docs/architecture.md, section 3). The constants are the production names;
 * an instance adds a prefix, so tests (and tenants sharing a broker) get topics of their own.
 */
public final class Topics {

    /** Key cluster/namespace/name, value {@code ServiceChange}. */
    public static final String SERVICES = "vipwatch.services.v1";
    /** Key cluster/namespace/name, value {@code AnnouncementChange}. */
    public static final String ANNOUNCEMENTS = "vipwatch.announcements.v1";
    /** Key cluster/node, value {@code NodeAddresses}; compacted, null value = node deleted. */
    public static final String NODE_ADDRESSES = "vipwatch.node-addresses.v1";
    /** Key cluster/node, value {@code NodeFacts}; compacted. */
    public static final String NODES = "vipwatch.nodes.v1";
    /** Key cluster/source, value {@code Heartbeat}. */
    public static final String HEARTBEATS = "vipwatch.heartbeats.v1";
    /** Key cluster/ip, value {@code WireObservation}: who answered a prober's ARP/NDP probe for a VIP. */
    public static final String WIRE = "vipwatch.wire.v1";
    /** Key cluster/ip, value {@code VipState}; compacted. */
    public static final String VIP_STATE = "vipwatch.vip-state.v1";
    /** Key cluster/ip, value {@code OwnershipChange}. */
    public static final String OWNERSHIP_CHANGES = "vipwatch.ownership-changes.v1";
    /** Key alert fingerprint, value {@code Alert}. */
    public static final String ALERTS = "vipwatch.alerts.v1";
    /** Key: the original key; value: the original bytes, headers name source topic, offset and reason. */
    public static final String DLQ = "vipwatch.dlq.v1";
    /**
     * Key cluster/identity ({@code c1/service/default/web}, {@code c1/announcement/default/web/METALLB_L2/n1},
     * {@code c1/node/n1}), value the input event last published for that object ({@code ServiceChange},
     * {@code AnnouncementChange}, {@code NodeFacts}); compacted, null value = taken back. The API collector's memory
     * of what it published, read back when it starts.
     */
    public static final String COLLECTOR_STATE = "vipwatch.collector-state.v1";

    // The topology's internal topics: Kafka Streams names them {@code <application.id>-<name>-changelog} and
    // {@code <application.id>-<name>-repartition}, so these names are part of the topic names too.

    /** State store (changelogged) of the detection core's per-cluster state. */
    public static final String CLUSTERS_STORE = "vipwatch-clusters";
    /** State store (changelogged) of the Services the detection core knows. */
    public static final String SERVICES_STORE = "vipwatch-services";
    /** State store (changelogged) of the nodes the detection core knows. */
    public static final String NODES_STORE = "vipwatch-nodes";
    /** State store (changelogged) of the VIPs the detection core knows. */
    public static final String VIPS_STORE = "vipwatch-vips";
    /** State store (changelogged) of the collectors and agents the detection core has heard from. */
    public static final String SOURCES_STORE = "vipwatch-sources";
    /** Every state store of the topology. */
    public static final List<String> STATE_STORES = List.of(CLUSTERS_STORE, SERVICES_STORE, NODES_STORE, VIPS_STORE,
            SOURCES_STORE);
    /** The repartition topic's operator name (the repartitioning topology only). */
    public static final String BY_CLUSTER = "by-cluster";

    /**
     * One topic, whether it is compacted, and the topic configs vipwatch creates it with: what it keeps and for how
     * long (docs/reliability.md, "Retention").
     */
    public record Spec(String name, boolean compacted, Map<String, String> configs) {
    }

    /** The retention of a size-bounded topic, per partition. */
    public static final long HEARTBEATS_BYTES = 1L << 30;
    public static final long DLQ_BYTES = 256L << 20;
    public static final long WIRE_BYTES = 1L << 30;

    private static final Set<String> COMPACTED = Set.of(NODE_ADDRESSES, NODES, VIP_STATE, COLLECTOR_STATE);
    // Records carry their event time, so a time-based retention deletes a replayed old recording within minutes of
    // replaying it: no topic vipwatch creates drops records by age. Snapshots are compacted; event streams are kept
    // whole (low volume: a Service change, an announcement, a responder change, an alert); the two that can grow
    // without bound are capped by size per partition.
    private static final Map<String, Map<String, String>> CONFIGS = Map.of(
            SERVICES, keptWhole(),
            ANNOUNCEMENTS, keptWhole(),
            HEARTBEATS, cappedAt(HEARTBEATS_BYTES),
            WIRE, cappedAt(WIRE_BYTES),
            OWNERSHIP_CHANGES, keptWhole(),
            ALERTS, keptWhole(),
            DLQ, cappedAt(DLQ_BYTES));
    private static final List<String> ALL = List.of(SERVICES, ANNOUNCEMENTS, NODE_ADDRESSES, NODES, HEARTBEATS, WIRE,
            VIP_STATE, OWNERSHIP_CHANGES, ALERTS, DLQ, COLLECTOR_STATE);

    private static final Duration LEADER_TIMEOUT = Duration.ofSeconds(30);

    private final String prefix;

    private Topics(final String prefix) {
        this.prefix = prefix;
    }

    /** The production names. */
    public static Topics standard() {
        return new Topics("");
    }

    public static Topics withPrefix(final String prefix) {
        return new Topics(prefix == null ? "" : prefix);
    }

    public String prefix() {
        return prefix;
    }

    public String services() {
        return prefix + SERVICES;
    }

    public String announcements() {
        return prefix + ANNOUNCEMENTS;
    }

    public String nodeAddresses() {
        return prefix + NODE_ADDRESSES;
    }

    public String nodes() {
        return prefix + NODES;
    }

    public String heartbeats() {
        return prefix + HEARTBEATS;
    }

    public String wire() {
        return prefix + WIRE;
    }

    public String vipState() {
        return prefix + VIP_STATE;
    }

    public String ownershipChanges() {
        return prefix + OWNERSHIP_CHANGES;
    }

    public String alerts() {
        return prefix + ALERTS;
    }

    public String dlq() {
        return prefix + DLQ;
    }

    public String collectorState() {
        return prefix + COLLECTOR_STATE;
    }

    /** The six input topics, written by collectors and node agents. */
    public List<String> inputs() {
        return List.of(services(), announcements(), nodeAddresses(), nodes(), heartbeats(), wire());
    }

    /** The topic an input event is published to. */
    public String topicFor(final InputEvent event) {
        if (event instanceof ServiceChange) {
            return services();
        } else if (event instanceof AnnouncementChange) {
            return announcements();
        } else if (event instanceof NodeAddresses) {
            return nodeAddresses();
        } else if (event instanceof NodeFacts) {
            return nodes();
        } else if (event instanceof Heartbeat) {
            return heartbeats();
        } else if (event instanceof WireObservation) {
            return wire();
        }
        throw new IllegalArgumentException("no topic for " + event.getClass().getName());
    }

    public List<Spec> all() {
        final List<Spec> specs = new ArrayList<>();
        for (final String name : ALL) {
            specs.add(new Spec(prefix + name, COMPACTED.contains(name), COMPACTED.contains(name)
                    ? Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)
                    : CONFIGS.get(name)));
        }
        return Collections.unmodifiableList(specs);
    }

    /**
     * Waits until every partition of the topics has a leader. A topic is created before its partitions are
     * served; a producer that writes in that gap gets NOT_LEADER errors, and an idempotent producer retrying
     * its first batches then can end in OUT_OF_ORDER_SEQUENCE until its delivery timeout (seen in CI).
     *
     * @throws IllegalStateException naming the topic whose partitions still have no leader at the timeout
     */
    public static void awaitLeaders(final Admin admin, final Collection<String> names, final Duration timeout) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        String waitingFor = null;
        while (System.nanoTime() < deadline) {
            try {
                waitingFor = null;
                for (final TopicDescription topic : admin.describeTopics(names).allTopicNames().get().values()) {
                    for (final TopicPartitionInfo partition : topic.partitions()) {
                        if (partition.leader() == null || partition.leader().isEmpty()) {
                            waitingFor = topic.name() + "-" + partition.partition();
                        }
                    }
                }
                if (waitingFor == null) {
                    return;
                }
            } catch (final ExecutionException e) {
                waitingFor = e.getCause().toString(); // not known to the broker yet
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for partition leaders", e);
            }
            try {
                Thread.sleep(50); // polling the broker's metadata, bounded by the deadline above
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for partition leaders", e);
            }
        }
        throw new IllegalStateException("no leader for " + waitingFor + " after " + timeout);
    }

    private static Map<String, String> keptWhole() {
        return Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, "-1", TopicConfig.RETENTION_BYTES_CONFIG, "-1");
    }

    private static Map<String, String> cappedAt(final long bytes) {
        return Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, "-1", TopicConfig.RETENTION_BYTES_CONFIG, String.valueOf(bytes));
    }

    /**
     * Creates every topic that does not exist yet, with its {@link Spec#configs()} (idempotent; existing topics are
     * left as they are).
     */
    public void ensureCreated(final Admin admin, final int partitions, final short replicationFactor) {
        try {
            final Set<String> existing = admin.listTopics().names().get();
            final List<NewTopic> missing = all().stream()
                    .filter(spec -> !existing.contains(spec.name()))
                    .map(spec -> {
                        final NewTopic topic = new NewTopic(spec.name(), partitions, replicationFactor);
                        topic.configs(spec.configs());
                        return topic;
                    })
                    .collect(Collectors.toList());
            if (!missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get();
                } catch (final ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
                awaitLeaders(admin, missing.stream().map(NewTopic::name).toList(), LEADER_TIMEOUT);
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (final ExecutionException e) {
            throw new IllegalStateException("could not create topics: " + e.getCause().getMessage(), e.getCause());
        }
    }
}
