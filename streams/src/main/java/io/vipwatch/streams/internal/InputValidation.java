package io.vipwatch.streams.internal;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.errors.SerializationException;

import io.vipwatch.schemas.Ips;
import io.vipwatch.schemas.Topics;
import io.vipwatch.schemas.event.AnnouncementChange;
import io.vipwatch.schemas.event.Heartbeat;
import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.schemas.event.NodeAddresses;
import io.vipwatch.schemas.event.NodeFacts;
import io.vipwatch.schemas.event.ServiceChange;
import io.vipwatch.schemas.event.WireObservation;
import io.vipwatch.schemas.policy.ClusterKey;
import io.vipwatch.schemas.policy.DeadLetterReason;
import io.vipwatch.schemas.policy.InputPolicy;
import io.vipwatch.schemas.policy.InvalidRecordException;
import io.vipwatch.schemas.serde.InputCodec;

/** Bytes of an input topic to a valid event with canonical IPs, or a {@link BadRecordException} saying why not. */
public final class InputValidation {

    private InputValidation() {
    }

    /**
     * @param baseTopic the unprefixed input topic name ({@link Topics#SERVICES}, ...)
     * @param timestamp the record timestamp (the time of a tombstone)
     */
    public static InputEvent decode(final String baseTopic, final String key, final byte[] value, final long timestamp) {
        if (value == null) {
            return tombstone(baseTopic, key, timestamp);
        }
        final InputEvent event;
        try {
            event = InputCodec.decode(baseTopic, value);
        } catch (final SerializationException e) {
            final String message = String.valueOf(e.getMessage());
            final DeadLetterReason reason = message.startsWith("oversized") ? DeadLetterReason.OVERSIZED
                    : message.startsWith("unknown schema fingerprint") ? DeadLetterReason.UNKNOWN_FINGERPRINT
                            : DeadLetterReason.UNDECODABLE;
            throw new BadRecordException(reason, message.startsWith(reason.code() + ": ")
                    ? message.substring(reason.code().length() + 2) : message);
        } catch (final RuntimeException e) {
            // AvroMapper on a body Avro accepted (an enum symbol out of range, a null where Java wants a value)
            throw new BadRecordException(DeadLetterReason.UNDECODABLE, "cannot map the " + baseTopic + " record: " + e);
        }
        return validate(event);
    }

    /**
     * The clock policy (docs/security.md): an event dated more than {@code maxSkewMs} ahead of the wall clock is a
     * bad record ({@code futureTime}).
     */
    public static InputEvent checkClock(final InputEvent event, final long wallNowMs, final long maxSkewMs) {
        try {
            InputPolicy.checkClock(event.observedAt(), wallNowMs, maxSkewMs);
        } catch (final InvalidRecordException e) {
            throw new BadRecordException(e.reason(), e.getMessage());
        }
        return event;
    }

    /** Null value on a compacted node topic: the node is gone. Elsewhere a null value is a bad record. */
    private static InputEvent tombstone(final String baseTopic, final String key, final long timestamp) {
        if (!Topics.NODE_ADDRESSES.equals(baseTopic) && !Topics.NODES.equals(baseTopic)) {
            throw new BadRecordException(DeadLetterReason.NULL_VALUE, "a null value on " + baseTopic
                    + " (only node topics have tombstones)");
        }
        final ClusterKey clusterNode;
        try {
            clusterNode = ClusterKey.parse(key, "node");
        } catch (final InvalidRecordException e) {
            throw new BadRecordException(e.reason(), "tombstone " + e.getMessage());
        }
        final String cluster = clusterNode.cluster();
        final String node = clusterNode.name();
        final String eventId = "tombstone:" + key + "@" + timestamp;
        final InputEvent event = Topics.NODES.equals(baseTopic)
                ? new NodeFacts(cluster, timestamp, "tombstone", eventId, node, List.of(), false, null, false,
                        null, true)
                : new NodeAddresses(cluster, timestamp, "tombstone", eventId, node, List.of(), true);
        try {
            return InputPolicy.check(event);
        } catch (final InvalidRecordException e) {
            throw new BadRecordException(e.reason() == DeadLetterReason.BAD_TIME ? e.reason()
                    : DeadLetterReason.BAD_KEY, "tombstone key: " + e.getMessage());
        }
    }

    /** Checks the input policy (identifiers, times, sizes: the same as a recording line's) and canonicalizes IPs. */
    public static InputEvent validate(final InputEvent event) {
        try {
            InputPolicy.check(event);
        } catch (final InvalidRecordException e) {
            throw new BadRecordException(e.reason(), e.getMessage());
        }
        return canonical(event);
    }

    /** Every IP in canonical form. */
    private static InputEvent canonical(final InputEvent event) {
        if (event instanceof ServiceChange e) {
            final List<String> ingress = ips("ingressIps", e.ingressIps());
            if (ingress.equals(e.ingressIps())) {
                return e;
            }
            return new ServiceChange(e.cluster(), e.observedAt(), e.source(), e.eventId(), e.op(), e.namespace(),
                    e.name(), e.uid(), e.resourceVersion(), e.serviceType(), e.loadBalancerClass(), ingress,
                    e.requestedIps(), e.externalTrafficPolicy(), e.annotations());
        }
        if (event instanceof AnnouncementChange e) {
            final String vip = e.vip() == null ? null : ip("vip", e.vip());
            if (vip == null || vip.equals(e.vip())) {
                return e;
            }
            return new AnnouncementChange(e.cluster(), e.observedAt(), e.source(), e.eventId(), e.op(), e.namespace(),
                    e.name(), e.announcer(), e.node(), vip, e.interfaces(), e.evidence());
        }
        if (event instanceof NodeAddresses e) {
            boolean changed = false;
            final List<NodeAddresses.Address> addresses = new ArrayList<>(e.addresses().size());
            for (int i = 0; i < e.addresses().size(); i++) {
                final NodeAddresses.Address a = e.addresses().get(i);
                final String ip = ip("addresses[" + i + "].ip", a.ip());
                final int max = ip.indexOf(':') >= 0 ? 128 : 32;
                if (a.prefixLength() < 0 || a.prefixLength() > max) {
                    throw new BadRecordException(DeadLetterReason.INVALID_IP, "'addresses[" + i
                            + "].prefixLength' must be 0.." + max + ", got " + a.prefixLength());
                }
                changed |= !ip.equals(a.ip());
                addresses.add(new NodeAddresses.Address(a.iface(), ip, a.prefixLength()));
            }
            return changed ? new NodeAddresses(e.cluster(), e.observedAt(), e.source(), e.eventId(), e.node(),
                    addresses, e.deleted()) : e;
        }
        if (event instanceof NodeFacts e) {
            return e;
        }
        if (event instanceof Heartbeat e) {
            return e;
        }
        if (event instanceof WireObservation e) {
            final String ip = ip("ip", e.ip());
            return ip.equals(e.ip()) ? e : new WireObservation(e.cluster(), e.observedAt(), e.source(),
                    e.eventId(), e.node(), e.iface(), ip, e.macs(), e.windowMs());
        }
        return event;
    }

    private static String ip(final String field, final String text) {
        try {
            return Ips.canonical(text);
        } catch (final IllegalArgumentException e) {
            throw new BadRecordException(DeadLetterReason.INVALID_IP, "'" + field + "': " + e.getMessage());
        }
    }

    private static List<String> ips(final String field, final List<String> ips) {
        List<String> out = ips;
        for (int i = 0; i < ips.size(); i++) {
            final String canonical = ip(field + "[" + i + "]", ips.get(i));
            if (!canonical.equals(ips.get(i))) {
                if (out == ips) {
                    out = new ArrayList<>(ips);
                }
                out.set(i, canonical);
            }
        }
        return out;
    }
}
