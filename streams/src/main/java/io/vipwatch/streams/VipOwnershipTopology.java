package io.vipwatch.streams;

import java.util.Map;
import java.util.Properties;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

import io.vipwatch.schemas.Topics;
import io.vipwatch.schemas.avro.Alert;
import io.vipwatch.schemas.avro.OwnershipChange;
import io.vipwatch.schemas.avro.VipState;
import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.streams.internal.DetectOutput;
import io.vipwatch.streams.internal.DetectProcessor;
import io.vipwatch.streams.internal.InputDecoder;
import io.vipwatch.streams.internal.InputEventSerde;

/**
 * The VIP ownership topology: the detection core ({@link io.vipwatch.streams.core.Detector}) on Kafka.
 *
 * <p>Topics (names from {@link Topics}, with the instance's prefix; keys are UTF-8 strings, values Avro
 * single-object encoding):
 * <ul>
 * <li>in {@code vipwatch.services.v1}: key {@code cluster/namespace/name}, value {@code ServiceChange}</li>
 * <li>in {@code vipwatch.announcements.v1}: key {@code cluster/namespace/name}, value {@code AnnouncementChange}</li>
 * <li>in {@code vipwatch.node-addresses.v1}: key {@code cluster/node}, value {@code NodeAddresses} (null: node deleted)</li>
 * <li>in {@code vipwatch.nodes.v1}: key {@code cluster/node}, value {@code NodeFacts} (null: node deleted)</li>
 * <li>in {@code vipwatch.heartbeats.v1}: key {@code cluster/source}, value {@code Heartbeat}</li>
 * <li>internal {@code <application.id>-by-cluster-repartition}: key {@code cluster}, value one tag byte + the
 * input event's Avro encoding</li>
 * <li>internal {@code <application.id>-vipwatch-*-changelog}: the six state stores (clusters, services, nodes,
 * vips, sources, timers); values in {@link io.vipwatch.streams.core.state.StateCodec}'s binary form</li>
 * <li>out {@code vipwatch.alerts.v1}: key alert fingerprint, value {@code Alert}</li>
 * <li>out {@code vipwatch.ownership-changes.v1}: key {@code cluster/ip}, value {@code OwnershipChange}</li>
 * <li>out {@code vipwatch.vip-state.v1} (compacted): key {@code cluster/ip}, value {@code VipState} (null: VIP forgotten)</li>
 * <li>out {@code vipwatch.dlq.v1}: the original key and value of a bad input record, with the built-in
 * dead-letter headers {@code __streams.errors.topic/partition/offset/message/exception}; the message starts
 * with the reason code</li>
 * </ul>
 *
 * <p>Every input is decoded and validated, re-keyed by cluster and repartitioned, so one task owns all of a
 * cluster's state. Producers that partition the inputs by cluster (as {@code vipwatch replay} does) give each
 * cluster a single upstream task, and the topology then sees a cluster's events in time order and decides
 * exactly as {@code vipwatch analyze} does. Processing is exactly-once ({@code exactly_once_v2}).
 */
public final class VipOwnershipTopology {

    /** The repartition topic's operator name. */
    public static final String BY_CLUSTER = "by-cluster";

    private VipOwnershipTopology() {
    }

    public static Topology build(final StreamsSettings settings) {
        final Topics topics = settings.topics();
        final StreamsBuilder builder = new StreamsBuilder();
        final KStream<String, InputEvent> services = input(builder, topics.services(), Topics.SERVICES, "services");
        final KStream<String, InputEvent> announcements = input(builder, topics.announcements(), Topics.ANNOUNCEMENTS,
                "announcements");
        final KStream<String, InputEvent> addresses = input(builder, topics.nodeAddresses(), Topics.NODE_ADDRESSES,
                "node-addresses");
        final KStream<String, InputEvent> nodes = input(builder, topics.nodes(), Topics.NODES, "nodes");
        final KStream<String, InputEvent> heartbeats = input(builder, topics.heartbeats(), Topics.HEARTBEATS,
                "heartbeats");
        final KStream<String, InputEvent> byCluster = services
                .merge(announcements, Named.as("merge-announcements"))
                .merge(addresses, Named.as("merge-node-addresses"))
                .merge(nodes, Named.as("merge-nodes"))
                .merge(heartbeats, Named.as("merge-heartbeats"))
                .repartition(Repartitioned.<String, InputEvent>as(BY_CLUSTER)
                        .withKeySerde(Serdes.String()).withValueSerde(new InputEventSerde()));

        for (final String store : new String[] {DetectProcessor.CLUSTERS, DetectProcessor.SERVICES,
            DetectProcessor.NODES, DetectProcessor.VIPS, DetectProcessor.SOURCES}) {
            builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(store), Serdes.String(),
                    Serdes.ByteArray()).withCachingEnabled());
        }
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DetectProcessor.TIMERS),
                Serdes.Bytes(), Serdes.ByteArray()).withCachingEnabled());

        final KStream<String, DetectOutput> decisions = byCluster.process(
                () -> new DetectProcessor(settings.detection(), settings.punctuationInterval(),
                        settings.wallClockAdvance()),
                Named.as("detect"), DetectProcessor.CLUSTERS, DetectProcessor.SERVICES, DetectProcessor.NODES,
                DetectProcessor.VIPS, DetectProcessor.SOURCES, DetectProcessor.TIMERS);

        final Map<String, KStream<String, DetectOutput>> routes = decisions.split(Named.as("route-"))
                .branch((key, out) -> out instanceof DetectOutput.AlertOut, Branched.as("alerts"))
                .branch((key, out) -> out instanceof DetectOutput.OwnershipOut, Branched.as("ownership-changes"))
                .defaultBranch(Branched.as("vip-state"));
        routes.get("route-alerts")
                .mapValues(out -> ((DetectOutput.AlertOut) out).alert(), Named.as("alert-record"))
                .to(topics.alerts(), Produced.<String, Alert>with(Serdes.String(),
                        io.vipwatch.schemas.serde.Serdes.alert()).withName("write-alerts"));
        routes.get("route-ownership-changes")
                .mapValues(out -> ((DetectOutput.OwnershipOut) out).change(), Named.as("ownership-change-record"))
                .to(topics.ownershipChanges(), Produced.<String, OwnershipChange>with(Serdes.String(),
                        io.vipwatch.schemas.serde.Serdes.ownershipChange()).withName("write-ownership-changes"));
        routes.get("route-vip-state")
                .mapValues(out -> ((DetectOutput.StateOut) out).state(), Named.as("vip-state-record"))
                .to(topics.vipState(), Produced.<String, VipState>with(Serdes.String(),
                        io.vipwatch.schemas.serde.Serdes.vipState()).withName("write-vip-state"));
        return builder.build();
    }

    private static KStream<String, InputEvent> input(final StreamsBuilder builder, final String topic,
            final String baseTopic, final String name) {
        return builder.stream(topic, Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("read-" + name))
                .process(() -> new InputDecoder(baseTopic), Named.as("decode-" + name));
    }

    /** Kafka Streams configuration: exactly-once, dead-letter topic, continue past bad records. */
    public static Properties streamsConfig(final StreamsSettings settings) {
        final Properties props = new Properties();
        props.putAll(settings.clientProperties());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, settings.applicationId());
        props.put(StreamsConfig.STATE_DIR_CONFIG, settings.stateDir().toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, settings.threads());
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, settings.standbyReplicas());
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, settings.replicationFactor());
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, settings.topics().dlq());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                LogAndContinueProcessingExceptionHandler.class.getName());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                LogAndContinueExceptionHandler.class.getName());
        return props;
    }
}
