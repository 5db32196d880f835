package io.vipwatch.store.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vipwatch.schemas.Ips;
import io.vipwatch.schemas.Topics;
import io.vipwatch.schemas.avro.Alert;
import io.vipwatch.schemas.avro.AlertEvidence;
import io.vipwatch.schemas.avro.OwnershipChange;
import io.vipwatch.schemas.avro.VipAnnouncement;
import io.vipwatch.schemas.avro.VipBinding;
import io.vipwatch.schemas.avro.VipClaim;
import io.vipwatch.schemas.avro.VipState;
import io.vipwatch.schemas.event.Heartbeat;
import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.schemas.policy.ClusterKey;
import io.vipwatch.schemas.policy.DeadLetterReason;
import io.vipwatch.schemas.policy.InputPolicy;
import io.vipwatch.schemas.policy.InvalidRecordException;
import io.vipwatch.schemas.recording.RecordingCodec;
import io.vipwatch.schemas.serde.AvroSerde;
import io.vipwatch.schemas.serde.InputCodec;
import io.vipwatch.schemas.serde.AvroSerdes;
import io.vipwatch.store.internal.Rows.AlertRow;
import io.vipwatch.store.internal.Rows.DeadLetter;
import io.vipwatch.store.internal.Rows.HeartbeatRow;
import io.vipwatch.store.internal.Rows.InputEventRow;
import io.vipwatch.store.internal.Rows.OwnershipChangeRow;
import io.vipwatch.store.internal.Rows.VipStateDeletion;
import io.vipwatch.store.internal.Rows.VipStateRow;

/**
 * Turns the records of one poll into a {@link Batch}. A record that cannot be stored becomes a
 * {@link DeadLetter} with a reason code and the batch goes on: one bad record never blocks the rest.
 *
 * <p>Reason codes are the one list of every role ({@link DeadLetterReason}, docs/reliability.md); input events
 * are held to the one input policy ({@link InputPolicy}) and its clock policy, every time to what PostgreSQL can
 * hold (1970 .. 9999), and any failure to decode is a dead letter, never an exception that stops the sink.
 */
final class RecordDecoder {

    private final Topics topics;
    private final AvroSerde<OwnershipChange> ownershipChanges = AvroSerdes.ownershipChange();
    private final AvroSerde<Alert> alerts = AvroSerdes.alert();
    private final AvroSerde<VipState> vipStates = AvroSerdes.vipState();
    private final ObjectMapper json = new ObjectMapper();
    // heartbeats are always read (for the fleet summary); input events join the audit trail only with --raw
    private final boolean raw;

    RecordDecoder(final Topics topics, final boolean raw) {
        this.topics = topics;
        this.raw = raw;
    }

    Batch decode(final Iterable<ConsumerRecord<String, byte[]>> records) {
        final Batch batch = new Batch();
        for (final ConsumerRecord<String, byte[]> record : records) {
            batch.covered(record.topic(), record.partition(), record.offset());
            try {
                decodeInto(record, batch);
            } catch (final BadRecordException e) {
                batch.deadLetters.add(deadLetter(record, e.reason(), e.getMessage()));
            } catch (final InvalidRecordException e) {
                batch.deadLetters.add(deadLetter(record, e.reason().code(), e.getMessage()));
            } catch (final SerializationException e) {
                final String message = String.valueOf(e.getMessage());
                final DeadLetterReason reason = message.startsWith("oversized") ? DeadLetterReason.OVERSIZED
                        : message.startsWith("unknown schema fingerprint") ? DeadLetterReason.UNKNOWN_FINGERPRINT
                                : DeadLetterReason.UNDECODABLE;
                batch.deadLetters.add(deadLetter(record, reason.code(), message));
            } catch (final RuntimeException e) {
                // whatever a crafted record makes the decoders throw: its fault, a dead letter, never a stopped sink
                batch.deadLetters.add(deadLetter(record, DeadLetterReason.UNDECODABLE.code(), e.toString()));
            }
        }
        return batch;
    }

    private static DeadLetter deadLetter(final ConsumerRecord<String, byte[]> record, final String reason,
            final String detail) {
        return new DeadLetter(record.topic(), record.partition(), record.offset(), clean(record.key()), record.value(),
                reason, clean(detail == null ? reason : detail));
    }

    private void decodeInto(final ConsumerRecord<String, byte[]> record, final Batch batch) {
        final String topic = record.topic();
        final String base = topic.startsWith(topics.prefix()) ? topic.substring(topics.prefix().length()) : topic;
        if (record.value() == null) {
            tombstone(record, base, batch);
            return;
        }
        switch (base) {
            case Topics.OWNERSHIP_CHANGES -> ownershipChange(ownershipChanges.decode(record.value()), batch);
            case Topics.ALERTS -> alert(alerts.decode(record.value()), batch);
            case Topics.VIP_STATE -> vipState(vipStates.decode(record.value()), batch);
            case Topics.SERVICES, Topics.ANNOUNCEMENTS, Topics.NODE_ADDRESSES, Topics.NODES, Topics.HEARTBEATS,
                    Topics.WIRE ->
                    inputEvent(record, base, batch);
            default -> throw new BadRecordException(DeadLetterReason.UNKNOWN_TOPIC.code(),
                    "not a topic the store reads: " + topic);
        }
    }

    private void tombstone(final ConsumerRecord<String, byte[]> record, final String base, final Batch batch) {
        switch (base) {
            case Topics.VIP_STATE -> {
                final ClusterKey clusterAndIp = splitKey(record.key(), "ip");
                batch.vipStateDeleted(new VipStateDeletion(clusterAndIp.cluster(), canonicalIp(clusterAndIp.name())));
            }
            case Topics.NODE_ADDRESSES, Topics.NODES -> {
                // a deleted node: kept in the raw audit trail only
                if (!raw) {
                    return;
                }
                final ClusterKey clusterAndNode = splitKey(record.key(), "node");
                final Instant at = time("timestamp", record.timestamp());
                final Map<String, Object> line = new LinkedHashMap<>();
                line.put("type", Topics.NODES.equals(base) ? "node" : "node-addresses");
                line.put("cluster", clusterAndNode.cluster());
                line.put("observedAt", at.toString());
                line.put("node", clusterAndNode.name());
                line.put("deleted", true);
                line.put("tombstone", true);
                batch.inputEvents.add(new InputEventRow(at, record.topic(), record.partition(), record.offset(),
                        (String) line.get("type"), clusterAndNode.cluster(), record.key(), null, null, toJson(line)));
                batch.sawCluster(clusterAndNode.cluster(), at);
            }
            default -> throw new BadRecordException(DeadLetterReason.NULL_VALUE.code(),
                    "null value on " + record.topic() + ", which is not compacted");
        }
    }

    private void ownershipChange(final OwnershipChange change, final Batch batch) {
        final String cluster = required("cluster", change.getCluster());
        final Instant at = time("at", change.getAt());
        final OwnershipChangeRow row = new OwnershipChangeRow(at, cluster, canonicalIp(change.getIp()),
                required("eventId", change.getEventId()), noNul("before", change.getBefore()),
                noNul("after", change.getAfter()), noNul("service", change.getService()),
                required("cause.type", change.getCause().getType()), required("cause.key", change.getCause().getKey()),
                noNul("cause.eventId", change.getCause().getEventId()),
                noNul("cause.source", change.getCause().getSource()),
                time("cause.observedAt", change.getCause().getObservedAt()));
        batch.ownershipChanges.add(row);
        batch.sawCluster(cluster, at);
    }

    private void alert(final Alert alert, final Batch batch) {
        final String cluster = required("cluster", alert.getCluster());
        final List<Map<String, Object>> evidence = new ArrayList<>();
        for (final AlertEvidence item : alert.getEvidence()) {
            final Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("kind", item.getKind());
            entry.put("node", item.getNode());
            entry.put("detail", item.getDetail());
            entry.put("observedAt", item.getObservedAt());
            entry.put("eventId", item.getEventId());
            evidence.add(entry);
        }
        final Instant at = time("at", alert.getAt());
        final AlertRow row = new AlertRow(at, required("eventId", alert.getEventId()),
                required("fingerprint", alert.getFingerprint()), required("episode", alert.getEpisode()),
                alert.getState().name(), alert.getKind().name(), alert.getSeverity().name(), cluster,
                alert.getVip() == null ? null : canonicalIp(alert.getVip()), noNul("service", alert.getService()),
                noNul("nodes", alert.getNodes()), time("openedAt", alert.getOpenedAt()), noNul("hint", alert.getHint()),
                noNul("evidence", toJson(evidence)));
        batch.alerts.add(row);
        batch.sawCluster(cluster, at);
    }

    private void vipState(final VipState state, final Batch batch) {
        final String cluster = required("cluster", state.getCluster());
        final List<Map<String, Object>> claims = new ArrayList<>();
        for (final VipClaim claim : state.getClaims()) {
            claims.add(Map.of("service", claim.getService(), "metallb", claim.getMetallb(), "kubeVip",
                    claim.getKubeVip(), "since", claim.getSince()));
        }
        final List<Map<String, Object>> announcements = new ArrayList<>();
        for (final VipAnnouncement announcement : state.getAnnouncements()) {
            announcements.add(Map.of("node", announcement.getNode(), "announcer", announcement.getAnnouncer().name(),
                    "service", announcement.getService(), "since", announcement.getSince()));
        }
        final List<Map<String, Object>> bindings = new ArrayList<>();
        for (final VipBinding binding : state.getBindings()) {
            bindings.add(Map.of("node", binding.getNode(), "interface", binding.getInterface$(), "prefixLength",
                    binding.getPrefixLength(), "since", binding.getSince()));
        }
        final List<String> conditions = state.getOpenConditions().stream().map(Enum::name).toList();
        final double penalty = Double.isFinite(state.getFlapPenalty()) ? state.getFlapPenalty() : 0.0;
        final Instant at = time("updatedAt", state.getUpdatedAt());
        batch.vipState(new VipStateRow(cluster, canonicalIp(state.getIp()), at, noNul("responders",
                state.getResponders()), conditions, penalty, noNul("claims", toJson(claims)),
                noNul("announcements", toJson(announcements)), noNul("bindings", toJson(bindings))));
        batch.sawCluster(cluster, at);
    }

    private void inputEvent(final ConsumerRecord<String, byte[]> record, final String base, final Batch batch) {
        final InputEvent event = InputPolicy.check(InputCodec.decode(base, record.value()));
        // the clock policy, as live: a heartbeat dated 2099 would freeze the cluster's last heartbeat
        InputPolicy.checkClock(event.observedAt(), System.currentTimeMillis(),
                InputPolicy.DEFAULT_MAX_CLOCK_SKEW.toMillis());
        final String cluster = required("cluster", event.cluster());
        final Instant at = time("observedAt", event.observedAt());
        if (event instanceof Heartbeat heartbeat) {
            batch.heartbeat(new HeartbeatRow(cluster, required("source", heartbeat.source()),
                    noNul("node", heartbeat.node()), at, heartbeat.intervalMs()));
        }
        if (raw) {
            final String line;
            try {
                line = RecordingCodec.format(event);
            } catch (final RuntimeException e) {
                throw new BadRecordException(DeadLetterReason.UNDECODABLE.code(), "cannot write " + event.type() + " as a recording line: "
                        + e.getMessage());
            }
            batch.inputEvents.add(new InputEventRow(at, record.topic(), record.partition(), record.offset(),
                    event.type(), cluster, noNul("key", record.key()), noNul("eventId", event.eventId()),
                    noNul("source", event.source()), noNul("recording", line)));
        }
        batch.sawCluster(cluster, at);
    }

    private static ClusterKey splitKey(final String key, final String what) {
        final ClusterKey parsed;
        try {
            parsed = ClusterKey.parse(key, what);
        } catch (final InvalidRecordException e) {
            throw new BadRecordException(e.reason().code(), e.getMessage());
        }
        noNul("key", parsed.cluster());
        return parsed;
    }

    /** A time PostgreSQL can hold and vipwatch computes with (1970 .. 9999): else the record is {@code badTime}. */
    private static Instant time(final String field, final long epochMillis) {
        return Instant.ofEpochMilli(InputPolicy.time(field, epochMillis));
    }

    private static String canonicalIp(final String ip) {
        try {
            return Ips.canonical(ip);
        } catch (final IllegalArgumentException e) {
            throw new BadRecordException(DeadLetterReason.INVALID_IP.code(), e.getMessage());
        }
    }

    private static String required(final String field, final String value) {
        if (value == null || value.isBlank()) {
            throw new BadRecordException(DeadLetterReason.MISSING_FIELD.code(), field + " is empty");
        }
        return noNul(field, value);
    }

    private static String noNul(final String field, final String value) {
        if (value != null && value.indexOf('\0') >= 0) {
            throw new BadRecordException(DeadLetterReason.NUL_CHARACTER.code(), field + " contains U+0000, which PostgreSQL text cannot hold");
        }
        return value;
    }

    private static List<String> noNul(final String field, final List<String> values) {
        for (final String value : values) {
            if (value == null) {
                throw new BadRecordException(DeadLetterReason.MISSING_FIELD.code(), field + " holds a null");
            }
            noNul(field, value);
        }
        return List.copyOf(values);
    }

    private String toJson(final Object value) {
        try {
            final String text = json.writeValueAsString(value);
            if (text.contains("\\u0000")) {
                throw new BadRecordException(DeadLetterReason.NUL_CHARACTER.code(), "a field contains U+0000, which PostgreSQL jsonb cannot hold");
            }
            return text;
        } catch (final JsonProcessingException e) {
            throw new BadRecordException(DeadLetterReason.UNDECODABLE.code(), "cannot write JSON: " + e.getOriginalMessage());
        }
    }

    private static String clean(final String text) {
        return text == null ? null : text.replace('\0', '?');
    }

    /** A record that cannot be stored, with its reason code. */
    static final class BadRecordException extends RuntimeException {

        private final String reason;

        BadRecordException(final String reason, final String message) {
            super(message, null, false, false);
            this.reason = reason;
        }

        String reason() {
            return reason;
        }
    }
}
