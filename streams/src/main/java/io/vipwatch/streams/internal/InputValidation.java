package io.vipwatch.streams.internal;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.errors.SerializationException;

import io.vipwatch.schemas.Ips;
import io.vipwatch.schemas.Topics;
import io.vipwatch.schemas.event.AnnouncementEvent;
import io.vipwatch.schemas.event.HeartbeatEvent;
import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.schemas.event.NodeAddressesEvent;
import io.vipwatch.schemas.event.NodeFactsEvent;
import io.vipwatch.schemas.event.ServiceEvent;
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
            final String reason = message.startsWith("oversized") ? "oversized"
                    : message.startsWith("unknown schema fingerprint") ? "unknownFingerprint" : "undecodable";
            throw new BadRecordException(reason, message.startsWith(reason + ": ")
                    ? message.substring(reason.length() + 2) : message);
        }
        return validate(event);
    }

    /** Null value on a compacted node topic: the node is gone. Elsewhere a null value is a bad record. */
    private static InputEvent tombstone(final String baseTopic, final String key, final long timestamp) {
        if (!Topics.NODE_ADDRESSES.equals(baseTopic) && !Topics.NODES.equals(baseTopic)) {
            throw new BadRecordException("nullValue", "a null value on " + baseTopic + " (only node topics have tombstones)");
        }
        final int slash = key == null ? -1 : key.lastIndexOf('/');
        if (slash <= 0 || slash == key.length() - 1) {
            throw new BadRecordException("badKey", "tombstone key '" + key + "' is not cluster/node");
        }
        final String cluster = key.substring(0, slash);
        final String node = key.substring(slash + 1);
        final String eventId = "tombstone:" + key + "@" + timestamp;
        if (Topics.NODES.equals(baseTopic)) {
            return new NodeFactsEvent(cluster, timestamp, "tombstone", eventId, node, List.of(), false, null, false,
                    null, true);
        }
        return new NodeAddressesEvent(cluster, timestamp, "tombstone", eventId, node, List.of(), true);
    }

    /** Checks required fields and canonicalizes every IP. */
    public static InputEvent validate(final InputEvent event) {
        required("cluster", event.cluster());
        if (event instanceof ServiceEvent e) {
            required("namespace", e.namespace());
            required("name", e.name());
            final List<String> ingress = ips("ingressIps", e.ingressIps());
            if (ingress.equals(e.ingressIps())) {
                return e;
            }
            return new ServiceEvent(e.cluster(), e.observedAt(), e.source(), e.eventId(), e.op(), e.namespace(),
                    e.name(), e.uid(), e.resourceVersion(), e.serviceType(), e.loadBalancerClass(), ingress,
                    e.requestedIps(), e.externalTrafficPolicy(), e.annotations());
        }
        if (event instanceof AnnouncementEvent e) {
            required("namespace", e.namespace());
            required("name", e.name());
            required("node", e.node());
            final String vip = e.vip() == null ? null : ip("vip", e.vip());
            if (vip == null || vip.equals(e.vip())) {
                return e;
            }
            return new AnnouncementEvent(e.cluster(), e.observedAt(), e.source(), e.eventId(), e.op(), e.namespace(),
                    e.name(), e.announcer(), e.node(), vip, e.interfaces(), e.evidence());
        }
        if (event instanceof NodeAddressesEvent e) {
            required("node", e.node());
            boolean changed = false;
            final List<NodeAddressesEvent.Address> addresses = new ArrayList<>(e.addresses().size());
            for (int i = 0; i < e.addresses().size(); i++) {
                final NodeAddressesEvent.Address a = e.addresses().get(i);
                final String ip = ip("addresses[" + i + "].ip", a.ip());
                changed |= !ip.equals(a.ip());
                addresses.add(new NodeAddressesEvent.Address(a.iface(), ip, a.prefixLength()));
            }
            return changed ? new NodeAddressesEvent(e.cluster(), e.observedAt(), e.source(), e.eventId(), e.node(),
                    addresses, e.deleted()) : e;
        }
        if (event instanceof NodeFactsEvent e) {
            required("node", e.node());
            return e;
        }
        if (event instanceof HeartbeatEvent e) {
            required("source", e.source());
            return e;
        }
        return event;
    }

    private static void required(final String field, final String value) {
        if (value == null || value.isEmpty()) {
            throw new BadRecordException("missingField", "'" + field + "' is empty");
        }
        if (value.indexOf('\u0000') >= 0) {
            throw new BadRecordException("missingField", "'" + field + "' contains a NUL character");
        }
    }

    private static String ip(final String field, final String text) {
        try {
            return Ips.canonical(text);
        } catch (final IllegalArgumentException e) {
            throw new BadRecordException("invalidIp", "'" + field + "': " + e.getMessage());
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
