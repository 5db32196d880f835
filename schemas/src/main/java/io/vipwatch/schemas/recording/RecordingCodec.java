package io.vipwatch.schemas.recording;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vipwatch.schemas.Ips;
import io.vipwatch.schemas.event.AnnouncementEvent;
import io.vipwatch.schemas.event.HeartbeatEvent;
import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.schemas.event.NodeAddressesEvent;
import io.vipwatch.schemas.event.NodeFactsEvent;
import io.vipwatch.schemas.event.ServiceEvent;

/**
 * One line of the recording format (DESIGN.md section 3.1, docs/recording-format.md) to an event and back.
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
        final JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (final JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        final String type = requiredText(node, "type");
        final String cluster = requiredText(node, "cluster");
        final long observedAt = time(node, "observedAt");
        final String eventId = optionalText(node, "eventId") != null ? optionalText(node, "eventId")
                : UUID.nameUUIDFromBytes(line.getBytes(StandardCharsets.UTF_8)).toString();
        switch (type) {
            case ServiceEvent.TYPE:
                return service(node, cluster, observedAt, eventId);
            case AnnouncementEvent.TYPE:
                return announcement(node, cluster, observedAt, eventId);
            case NodeAddressesEvent.TYPE:
                return nodeAddresses(node, cluster, observedAt, eventId);
            case NodeFactsEvent.TYPE:
                return nodeFacts(node, cluster, observedAt, eventId);
            case HeartbeatEvent.TYPE:
                return new HeartbeatEvent(cluster, observedAt, requiredText(node, "source"), eventId,
                        optionalText(node, "node"), optionalLong(node, "intervalMs", HeartbeatEvent.DEFAULT_INTERVAL_MS));
            default:
                throw new IllegalArgumentException("unknown type '" + type
                        + "' (expected service, announcement, node-addresses, node or heartbeat)");
        }
    }

    private static ServiceEvent service(final JsonNode node, final String cluster, final long observedAt,
            final String eventId) {
        final ServiceEvent.Op op = enumValue(node, "op", ServiceEvent.Op.class);
        return new ServiceEvent(cluster, observedAt, source(node), eventId, op,
                requiredText(node, "namespace"), requiredText(node, "name"),
                optionalText(node, "uid"), optionalText(node, "resourceVersion"), optionalText(node, "serviceType"),
                optionalText(node, "loadBalancerClass"), ips(node, "ingressIps"), ips(node, "requestedIps"),
                optionalText(node, "externalTrafficPolicy"), stringMap(node, "annotations"));
    }

    private static AnnouncementEvent announcement(final JsonNode node, final String cluster, final long observedAt,
            final String eventId) {
        final AnnouncementEvent.Op op = enumValue(node, "op", AnnouncementEvent.Op.class);
        final String vip = optionalText(node, "vip");
        AnnouncementEvent.Evidence evidence = null;
        final JsonNode ev = node.get("evidence");
        if (ev != null && !ev.isNull()) {
            if (!ev.isObject()) {
                throw new IllegalArgumentException("'evidence' must be an object");
            }
            evidence = new AnnouncementEvent.Evidence(optionalText(ev, "kind"), optionalText(ev, "ref"),
                    optionalText(ev, "detail"));
        }
        return new AnnouncementEvent(cluster, observedAt, source(node), eventId, op,
                requiredText(node, "namespace"), requiredText(node, "name"),
                enumValue(node, "announcer", AnnouncementEvent.Announcer.class), requiredText(node, "node"),
                vip == null ? null : ip(vip, "vip"), strings(node, "interfaces"), evidence);
    }

    private static NodeAddressesEvent nodeAddresses(final JsonNode node, final String cluster, final long observedAt,
            final String eventId) {
        final boolean deleted = optionalBoolean(node, "deleted", false);
        final JsonNode list = node.get("addresses");
        final List<NodeAddressesEvent.Address> addresses = new ArrayList<>();
        if (list == null || list.isNull()) {
            if (!deleted) {
                throw new IllegalArgumentException("missing 'addresses' (a node-addresses line is the full set)");
            }
        } else {
            if (!list.isArray()) {
                throw new IllegalArgumentException("'addresses' must be an array");
            }
            int index = 0;
            for (final JsonNode a : list) {
                final String where = "addresses[" + index++ + "]";
                if (!a.isObject()) {
                    throw new IllegalArgumentException("'" + where + "' must be an object");
                }
                final String ipText = requiredText(a, "ip", where + ".ip");
                final String canonical = ip(ipText, where + ".ip");
                final JsonNode prefix = a.get("prefixLength");
                if (prefix == null || !prefix.canConvertToInt() || !prefix.isIntegralNumber()) {
                    throw new IllegalArgumentException("'" + where + ".prefixLength' must be an integer");
                }
                final int max = canonical.indexOf(':') >= 0 ? 128 : 32;
                if (prefix.intValue() < 0 || prefix.intValue() > max) {
                    throw new IllegalArgumentException("'" + where + ".prefixLength' must be 0.." + max);
                }
                addresses.add(new NodeAddressesEvent.Address(requiredText(a, "interface", where + ".interface"),
                        canonical, prefix.intValue()));
            }
        }
        return new NodeAddressesEvent(cluster, observedAt, source(node), eventId, requiredText(node, "node"),
                addresses, deleted);
    }

    private static NodeFactsEvent nodeFacts(final JsonNode node, final String cluster, final long observedAt,
            final String eventId) {
        NodeFactsEvent.KubeVip kubeVip = null;
        final JsonNode kv = node.get("kubeVip");
        if (kv != null && !kv.isNull()) {
            if (!kv.isObject()) {
                throw new IllegalArgumentException("'kubeVip' must be an object or null");
            }
            final JsonNode svc = kv.get("svcEnable");
            if (svc == null || !svc.isBoolean()) {
                throw new IllegalArgumentException("'kubeVip.svcEnable' must be true or false");
            }
            kubeVip = new NodeFactsEvent.KubeVip(svc.booleanValue(), nullableBoolean(kv, "cpEnable"),
                    optionalText(kv, "vipInterface"), nullableBoolean(kv, "arp"), optionalText(kv, "pod"),
                    optionalText(kv, "image"));
        }
        return new NodeFactsEvent(cluster, observedAt, source(node), eventId, requiredText(node, "node"),
                strings(node, "roles"), optionalBoolean(node, "excludedFromLoadBalancers", false),
                nullableBoolean(node, "speakerEligible"), optionalBoolean(node, "networkUnavailable", false), kubeVip,
                optionalBoolean(node, "deleted", false));
    }

    /** One line of JSON for an event, with canonical field names; no trailing newline. */
    public static String format(final InputEvent event) {
        final ObjectNode out = NODES.objectNode();
        out.put("type", event.type());
        out.put("cluster", event.cluster());
        out.put("observedAt", Instant.ofEpochMilli(event.observedAt()).toString());
        if (event instanceof ServiceEvent e) {
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
        } else if (event instanceof AnnouncementEvent e) {
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
        } else if (event instanceof NodeAddressesEvent e) {
            out.put("node", e.node());
            final ArrayNode addresses = out.putArray("addresses");
            for (final NodeAddressesEvent.Address a : e.addresses()) {
                addresses.addObject().put("interface", a.iface()).put("ip", a.ip()).put("prefixLength", a.prefixLength());
            }
            if (e.deleted()) {
                out.put("deleted", true);
            }
        } else if (event instanceof NodeFactsEvent e) {
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
                final NodeFactsEvent.KubeVip kv = e.kubeVip();
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
        } else if (event instanceof HeartbeatEvent e) {
            putIfPresent(out, "node", e.node());
            if (e.intervalMs() != HeartbeatEvent.DEFAULT_INTERVAL_MS) {
                out.put("intervalMs", e.intervalMs());
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

    // --- field helpers: each names the field that is wrong

    private static String source(final JsonNode node) {
        final String source = optionalText(node, "source");
        return source == null ? DEFAULT_SOURCE : source;
    }

    private static String requiredText(final JsonNode node, final String field) {
        return requiredText(node, field, field);
    }

    private static String requiredText(final JsonNode node, final String field, final String where) {
        final JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("missing '" + where + "'");
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException("'" + where + "' must be a string");
        }
        if (value.textValue().isEmpty()) {
            throw new IllegalArgumentException("'" + where + "' must not be empty");
        }
        return value.textValue();
    }

    private static String optionalText(final JsonNode node, final String field) {
        final JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException("'" + field + "' must be a string or null");
        }
        return value.textValue();
    }

    private static boolean optionalBoolean(final JsonNode node, final String field, final boolean fallback) {
        final Boolean value = nullableBoolean(node, field);
        return value == null ? fallback : value;
    }

    private static Boolean nullableBoolean(final JsonNode node, final String field) {
        final JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            throw new IllegalArgumentException("'" + field + "' must be true or false");
        }
        return value.booleanValue();
    }

    private static long optionalLong(final JsonNode node, final String field, final long fallback) {
        final JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new IllegalArgumentException("'" + field + "' must be an integer");
        }
        return value.longValue();
    }

    private static long time(final JsonNode node, final String field) {
        final String text = requiredText(node, field);
        try {
            return OffsetDateTime.parse(text).toInstant().toEpochMilli();
        } catch (final DateTimeParseException e) {
            throw new IllegalArgumentException("'" + field + "' is not an RFC 3339 time: '" + text + "'");
        }
    }

    private static <E extends Enum<E>> E enumValue(final JsonNode node, final String field, final Class<E> type) {
        final String text = requiredText(node, field);
        try {
            return Enum.valueOf(type, text);
        } catch (final IllegalArgumentException e) {
            final StringBuilder known = new StringBuilder();
            for (final E constant : type.getEnumConstants()) {
                known.append(known.length() == 0 ? "" : ", ").append(constant.name());
            }
            throw new IllegalArgumentException("unknown " + field + " '" + text + "' (expected " + known + ")");
        }
    }

    private static String ip(final String text, final String where) {
        try {
            return Ips.canonical(text);
        } catch (final IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + where + "': " + e.getMessage());
        }
    }

    private static List<String> ips(final JsonNode node, final String field) {
        final List<String> raw = strings(node, field);
        final List<String> out = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            out.add(ip(raw.get(i), field + "[" + i + "]"));
        }
        return out;
    }

    private static List<String> strings(final JsonNode node, final String field) {
        final JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw new IllegalArgumentException("'" + field + "' must be an array of strings");
        }
        final List<String> out = new ArrayList<>(value.size());
        for (final JsonNode item : value) {
            if (!item.isTextual()) {
                throw new IllegalArgumentException("'" + field + "' must be an array of strings");
            }
            out.add(item.textValue());
        }
        return out;
    }

    private static Map<String, String> stringMap(final JsonNode node, final String field) {
        final JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Map.of();
        }
        if (!value.isObject()) {
            throw new IllegalArgumentException("'" + field + "' must be an object of strings");
        }
        final Map<String, String> out = new LinkedHashMap<>();
        final Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
        while (fields.hasNext()) {
            final Map.Entry<String, JsonNode> entry = fields.next();
            if (!entry.getValue().isTextual()) {
                throw new IllegalArgumentException("'" + field + "." + entry.getKey() + "' must be a string");
            }
            out.put(entry.getKey(), entry.getValue().textValue());
        }
        return out;
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
