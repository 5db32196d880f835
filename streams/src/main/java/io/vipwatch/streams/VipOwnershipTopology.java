package io.vipwatch.streams;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

import io.vipwatch.schemas.Topics;
import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.streams.internal.DeadLetterHandler;
import io.vipwatch.streams.internal.DetectProcessor;
import io.vipwatch.streams.internal.InputDecoder;
import io.vipwatch.streams.internal.InputEventSerde;
import io.vipwatch.streams.internal.InputProgress;
import io.vipwatch.schemas.serde.AvroSerdes;

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
 * <li>in {@code vipwatch.wire.v1}: key {@code cluster/ip}, value {@code WireObservation}</li>
 * <li>internal {@code <application.id>-vipwatch-*-changelog}: the five state stores ({@link Topics#STATE_STORES});
 * values in {@link io.vipwatch.streams.core.state.StateCodec}'s binary form</li>
 * <li>internal, only with {@link StreamsSettings#repartition()}: {@code <application.id>-by-cluster-repartition},
 * key {@code cluster}, value one tag byte + the input event's Avro encoding</li>
 * <li>out {@code vipwatch.alerts.v1}: key alert fingerprint, value {@code Alert}</li>
 * <li>out {@code vipwatch.ownership-changes.v1}: key {@code cluster/ip}, value {@code OwnershipChange}</li>
 * <li>out {@code vipwatch.vip-state.v1} (compacted): key {@code cluster/ip}, value {@code VipState} (null: VIP forgotten)</li>
 * <li>out {@code vipwatch.dlq.v1}: the original key and value of a bad input record (a reference when too large
 * to send), with the headers of {@link io.vipwatch.schemas.policy.DeadLetters} ({@code vipwatch.dlq.reason}, ...,
 * and {@code __streams.errors.topic/partition/offset/message}); written by {@link DeadLetterHandler}</li>
 * </ul>
 *
 * <p>All of a cluster's state belongs to one task. Every vipwatch publisher puts a cluster's events on the same
 * partition index of every input topic ({@link io.vipwatch.schemas.ClusterPartitioning}), so the inputs are
 * co-partitioned: one sub-topology reads all six topics, and the task of partition {@code p} decodes, validates
 * and detects the clusters of partition {@code p} directly, in event-time order across the topics — exactly as
 * {@code vipwatch analyze} decides. A record on the wrong partition for its cluster is dead-lettered
 * ({@code misrouted}). For producers that cannot partition by cluster, {@link StreamsSettings#repartition()}
 * re-keys every input by cluster through a repartition topic first (one more trip through the broker).
 * Processing is exactly-once ({@code exactly_once_v2}). No record time the broker may refuse is forwarded: input
 * events further ahead of the wall clock than {@link StreamsSettings#maxClockSkew()} are dead-lettered
 * ({@code futureTime}) before anything is written, and output record times are never later than the wall clock.
 */
public final class VipOwnershipTopology {

    /**
     * {@code max.task.idle.ms} unless the Kafka configuration sets it: how long a task waits for a producer to write
     * to an input partition that is empty on the broker before it reads the others ahead of it. Data already on the
     * broker is waited for as long as its fetch takes ({@link io.vipwatch.streams.internal.BrokerLagClientSupplier});
     * this covers what was being written while the consumer and the Admin client last looked: two refreshes of
     * {@link InputProgress} (100 ms each). It was 1 s, which a backlog paid once per input partition that ran out and
     * a live event after every record on a quiet topic.
     */
    public static final long MAX_TASK_IDLE_MS = 200;

    private VipOwnershipTopology() {
    }

    /** The topology with wall-clock advance that does not wait for the input to be caught up (test driver). */
    public static Topology build(final StreamsSettings settings) {
        return build(settings, InputProgress.caughtUp());
    }

    /** The topology; {@code progress} tells the detect processors when their input has caught up. */
    public static Topology build(final StreamsSettings settings, final InputProgress progress) {
        final Topics topics = settings.topics();
        final StreamsBuilder builder = new StreamsBuilder();
        final Map<String, String> baseTopics = new LinkedHashMap<>();
        for (final String base : List.of(Topics.SERVICES, Topics.ANNOUNCEMENTS, Topics.NODE_ADDRESSES, Topics.NODES,
                Topics.HEARTBEATS, Topics.WIRE)) {
            baseTopics.put(topics.prefix() + base, base);
        }
        final KStream<String, Object> inputs;
        final List<String> taskTopics;
        final List<String> upstream;
        if (settings.repartition()) {
            KStream<String, InputEvent> merged = null;
            for (final Map.Entry<String, String> topic : baseTopics.entrySet()) {
                final String name = topic.getValue().replace("vipwatch.", "").replace(".v1", "");
                final KStream<String, InputEvent> decoded = builder.stream(topic.getKey(),
                        Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("read-" + name))
                        .process(() -> new InputDecoder(topic.getValue(), settings.maxClockSkew()),
                                Named.as("decode-" + name));
                merged = merged == null ? decoded : merged.merge(decoded, Named.as("merge-" + name));
            }
            inputs = merged.repartition(Repartitioned.<String, InputEvent>as(Topics.BY_CLUSTER)
                            .withKeySerde(Serdes.String()).withValueSerde(new InputEventSerde()))
                    .mapValues(event -> (Object) event, Named.as("as-input"));
            taskTopics = List.of(repartitionTopic(settings));
            upstream = List.copyOf(baseTopics.keySet());
        } else {
            inputs = builder.stream(List.copyOf(baseTopics.keySet()),
                    Consumed.<String, Object>with(Serdes.String(), rawBytes()).withName("read-inputs"));
            taskTopics = List.copyOf(baseTopics.keySet());
            upstream = List.of();
        }

        for (final String store : Topics.STATE_STORES) {
            builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(store), Serdes.String(),
                    Serdes.ByteArray()).withCachingEnabled());
        }
        final KStream<String, Object> decisions = inputs.process(
                () -> new DetectProcessor(settings.detection(), settings.punctuationInterval(),
                        settings.wallClockAdvance(), settings.wallClockWindow(), progress, baseTopics, taskTopics,
                        upstream, settings.maxClockSkew()),
                Named.as("detect"), Topics.STATE_STORES.toArray(String[]::new));
        decisions.to(topics.alerts(), Produced.with(Serdes.String(), valuesOf(AvroSerdes.alert()))
                .withName(DetectProcessor.ALERTS_SINK));
        decisions.to(topics.ownershipChanges(), Produced.with(Serdes.String(),
                valuesOf(AvroSerdes.ownershipChange())).withName(DetectProcessor.OWNERSHIP_SINK));
        decisions.to(topics.vipState(), Produced.with(Serdes.String(),
                valuesOf(AvroSerdes.vipState())).withName(DetectProcessor.VIP_STATE_SINK));
        return builder.build();
    }

    /** The repartition topic of the repartitioning topology. */
    public static String repartitionTopic(final StreamsSettings settings) {
        return settings.applicationId() + "-" + Topics.BY_CLUSTER + "-repartition";
    }

    /** Input values stay bytes: the detect processor decodes them, naming the reason when it cannot. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Serde<Object> rawBytes() {
        return (Serde) Serdes.ByteArray();
    }

    /** Each sink's serde: the detect processor forwards each output type to its own sink only. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Serde<Object> valuesOf(final Serde<?> serde) {
        return (Serde) serde;
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
        // bad records are dead-lettered by the contract of every role (schemas' DeadLetters), by our handler: the
        // built-in dead-letter queue would republish an oversized value as is and fail on it
        props.put(DeadLetterHandler.DLQ_TOPIC_CONFIG, settings.topics().dlq());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class.getName());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                LogAndContinueExceptionHandler.class.getName());
        // read the inputs in time order for everything on the broker: the consumer's idea of a partition's lag is
        // stale right after a fetch woken by another partition's write, a resume or a broker restart (with 0 and that
        // alone a backlog was read minutes apart across topics, FaultMatrixIT), so VipwatchStreams gives Kafka Streams
        // a main consumer whose lag also counts the end offsets InputProgress reads (BrokerLagClientSupplier), and
        // the task waits MAX_TASK_IDLE_MS for what was being written while both last looked
        props.putIfAbsent(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, MAX_TASK_IDLE_MS);
        return props;
    }
}
