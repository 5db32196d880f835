package io.vipwatch.schemas.recording;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vipwatch.schemas.event.AnnouncementChange;
import io.vipwatch.schemas.event.Heartbeat;
import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.schemas.event.NodeAddresses;
import io.vipwatch.schemas.event.NodeFacts;
import io.vipwatch.schemas.event.ServiceChange;
import io.vipwatch.schemas.event.WireObservation;

/**
 * One line of the recording format (docs/recording-format.md) to an event and back.
 * Parsing validates required fields, enums, RFC 3339 times and IPs, and canonicalizes IPs. A line without
 * {@code eventId} gets a name-based UUID of its text, so replaying a file twice yields the same ids; a line
 * without {@code source} gets {@code recording}.
 */
public final class RecordingCodec {

    public static final String DEFAULT_SOURCE = "recording";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private RecordingCodec() {
    }

    /**
     * Parses one line.
     *
     * @throws IllegalArgumentException with the reason the line is not a valid event
     */
    public static InputEvent parse(final String line) {
        return LineParser.parse(line);
    }

    /** One line of JSON for an event, with canonical field names; no trailing newline. */
    public static String format(final InputEvent event) {
        final ObjectNode out = NODES.objectNode();
        out.put("type", event.type());
        out.put("cluster", event.cluster());
        out.put("observedAt", Instant.ofEpochMilli(event.observedAt()).toString());
        if (event instanceof ServiceChange e) {
            out.put("op", e.op().name());
            out.put("namespace", e.namespace());
            out.put("name", e.name());
            out.put("uid", e.uid());
            putIfPresent(out, "resourceVersion", e.resourceVersion());
            putIfPresent(out, "serviceType", e.serviceType());
            out.put("loadBalancerClass", e.loadBalancerClass());
            out.set("ingressIps", array(e.ingressIps()));
            if (!e.requestedIps().isEmpty()) {
                out.set("requestedIps", array(e.requestedIps()));
            }
            putIfPresent(out, "externalTrafficPolicy", e.externalTrafficPolicy());
            final ObjectNode annotations = out.putObject("annotations");
            e.annotations().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(a -> annotations.put(a.getKey(), a.getValue()));
        } else if (event instanceof AnnouncementChange e) {
            out.put("op", e.op().name());
            out.put("namespace", e.namespace());
            out.put("name", e.name());
            out.put("announcer", e.announcer().name());
            out.put("node", e.node());
            putIfPresent(out, "vip", e.vip());
            if (!e.interfaces().isEmpty()) {
                out.set("interfaces", array(e.interfaces()));
            }
            if (e.evidence() != null) {
                final ObjectNode ev = out.putObject("evidence");
                putIfPresent(ev, "kind", e.evidence().kind());
                putIfPresent(ev, "ref", e.evidence().ref());
                putIfPresent(ev, "detail", e.evidence().detail());
            }
        } else if (event instanceof NodeAddresses e) {
            out.put("node", e.node());
            final ArrayNode addresses = out.putArray("addresses");
            for (final NodeAddresses.Address a : e.addresses()) {
                addresses.addObject().put("interface", a.iface()).put("ip", a.ip()).put("prefixLength", a.prefixLength());
            }
            if (e.deleted()) {
                out.put("deleted", true);
            }
            if (!e.links().isEmpty()) {
                final ArrayNode links = out.putArray("links");
                for (final NodeAddresses.Link l : e.links()) {
                    links.addObject().put("interface", l.iface()).put("mac", l.mac());
                }
            }
        } else if (event instanceof NodeFacts e) {
            out.put("node", e.node());
            out.set("roles", array(e.roles()));
            out.put("excludedFromLoadBalancers", e.excludedFromLoadBalancers());
            if (e.speakerEligible() != null) {
                out.put("speakerEligible", e.speakerEligible());
            }
            if (e.networkUnavailable()) {
                out.put("networkUnavailable", true);
            }
            if (e.kubeVip() == null) {
                out.putNull("kubeVip");
            } else {
                final NodeFacts.KubeVip kv = e.kubeVip();
                final ObjectNode k = out.putObject("kubeVip");
                k.put("svcEnable", kv.svcEnable());
                if (kv.cpEnable() != null) {
                    k.put("cpEnable", kv.cpEnable());
                }
                putIfPresent(k, "vipInterface", kv.vipInterface());
                if (kv.arp() != null) {
                    k.put("arp", kv.arp());
                }
                putIfPresent(k, "pod", kv.pod());
                putIfPresent(k, "image", kv.image());
            }
            if (e.deleted()) {
                out.put("deleted", true);
            }
        } else if (event instanceof Heartbeat e) {
            putIfPresent(out, "node", e.node());
            if (e.intervalMs() != Heartbeat.DEFAULT_INTERVAL_MS) {
                out.put("intervalMs", e.intervalMs());
            }
        } else if (event instanceof WireObservation e) {
            out.put("node", e.node());
            out.put("interface", e.iface());
            out.put("ip", e.ip());
            out.set("macs", array(e.macs()));
            if (e.windowMs() != WireObservation.DEFAULT_WINDOW_MS) {
                out.put("windowMs", e.windowMs());
            }
        }
        out.put("source", event.source());
        out.put("eventId", event.eventId());
        try {
            return JSON.writeValueAsString(out);
        } catch (final JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + event, e);
        }
    }

    private static void putIfPresent(final ObjectNode out, final String field, final String value) {
        if (value != null) {
            out.put(field, value);
        }
    }

    private static ArrayNode array(final List<String> values) {
        final ArrayNode array = NODES.arrayNode(values.size());
        values.forEach(array::add);
        return array;
    }
}
