package io.vipwatch.schemas.recording;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.core.json.UTF8StreamJsonParser;

import io.vipwatch.schemas.Ips;
import io.vipwatch.schemas.Macs;
import io.vipwatch.schemas.event.AnnouncementChange;
import io.vipwatch.schemas.event.Heartbeat;
import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.schemas.event.NodeAddresses;
import io.vipwatch.schemas.event.NodeFacts;
import io.vipwatch.schemas.event.ServiceChange;
import io.vipwatch.schemas.event.WireObservation;
import io.vipwatch.schemas.policy.InputPolicy;

/**
 * Parses one recording line with Jackson's streaming parser straight into an event: no tree, no maps for the
 * fields, a fast path for UTC times. This is the hot path of {@code vipwatch analyze} and {@code replay}.
 * Known fields are type-checked wherever they appear; unknown fields are skipped. Every error names the field.
 */
final class LineParser {

    private static final JsonFactory JSON = new Utf8JsonFactory();

    /**
     * Recordings are UTF-8 by definition, so a line's bytes go straight to Jackson's UTF-8 parser without the
     * encoding detection it would otherwise run for every line (a measurable share of analyze's time).
     */
    private static final class Utf8JsonFactory extends JsonFactory {
        private static final long serialVersionUID = 1L;

        @Override
        protected JsonParser _createParser(final byte[] data, final int offset, final int len, final IOContext context) {
            return new UTF8StreamJsonParser(context, _parserFeatures, null, _objectCodec,
                    _byteSymbolCanonicalizer.makeChild(_factoryFeatures), data, offset, offset + len, false);
        }
    }

    private LineParser() {
    }

    static InputEvent parse(final String line) {
        try (JsonParser parser = JSON.createParser(line)) {
            return parse(parser, () -> line.getBytes(StandardCharsets.UTF_8));
        } catch (final IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage());
        }
    }

    /** Parses the UTF-8 line {@code bytes[offset, offset + length)} without making a String of it. */
    static InputEvent parse(final byte[] bytes, final int offset, final int length) {
        try (JsonParser parser = JSON.createParser(bytes, offset, length)) {
            return parse(parser, () -> Arrays.copyOfRange(bytes, offset, offset + length));
        } catch (final IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage());
        }
    }

    private static InputEvent parse(final JsonParser parser, final Supplier<byte[]> lineBytes) throws IOException {
        final Fields f = new Fields();
        try {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object");
            }
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                final String field = parser.currentName();
                parser.nextToken();
                f.read(field, parser);
            }
            if (token != JsonToken.END_OBJECT) {
                throw new IllegalArgumentException("not a JSON object");
            }
            if (parser.nextToken() != null) {
                throw new IllegalArgumentException("not JSON: more than one value on the line");
            }
        } catch (final JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
        // the one input policy (identifiers, times) of every path: a line breaking it is FILE:LINE: reason
        return InputPolicy.check(f.build(lineBytes));
    }

    /** {@link Fields#observedAt} when the fast path already read the time into {@link Fields#observedAtMillis}. */
    static final String FAST_TIME = new String("fast");

    /** Every field a line may carry; null where absent or JSON null. */
    static final class Fields {
        String type;
        String cluster;
        String observedAt;
        long observedAtMillis;
        String source;
        String eventId;
        String op;
        String namespace;
        String name;
        String uid;
        String resourceVersion;
        String serviceType;
        String loadBalancerClass;
        String externalTrafficPolicy;
        String announcer;
        String node;
        String vip;
        List<String> ingressIps;
        List<String> requestedIps;
        List<String> interfaces;
        List<String> roles;
        Map<String, String> annotations;
        List<NodeAddresses.Address> addresses;
        Boolean deleted;
        Boolean excludedFromLoadBalancers;
        Boolean speakerEligible;
        Boolean networkUnavailable;
        NodeFacts.KubeVip kubeVip;
        AnnouncementChange.Evidence evidence;
        Long intervalMs;
        String iface;
        String ip;
        List<String> macs;
        List<NodeAddresses.Link> links;
        Long windowMs;

        void read(final String field, final JsonParser p) throws IOException {
            switch (field) {
                case "type" -> type = text(p, field);
                case "cluster" -> cluster = text(p, field);
                case "observedAt" -> observedAt = text(p, field);
                case "source" -> source = text(p, field);
                case "eventId" -> eventId = text(p, field);
                case "op" -> op = text(p, field);
                case "namespace" -> namespace = text(p, field);
                case "name" -> name = text(p, field);
                case "uid" -> uid = text(p, field);
                case "resourceVersion" -> resourceVersion = text(p, field);
                case "serviceType" -> serviceType = text(p, field);
                case "loadBalancerClass" -> loadBalancerClass = text(p, field);
                case "externalTrafficPolicy" -> externalTrafficPolicy = text(p, field);
                case "announcer" -> announcer = text(p, field);
                case "node" -> node = text(p, field);
                case "vip" -> vip = text(p, field);
                case "ingressIps" -> ingressIps = ips(p, field);
                case "requestedIps" -> requestedIps = ips(p, field);
                case "interfaces" -> interfaces = strings(p, field);
                case "roles" -> roles = strings(p, field);
                case "annotations" -> annotations = stringMap(p, field);
                case "addresses" -> addresses = addresses(p);
                case "deleted" -> deleted = bool(p, field);
                case "excludedFromLoadBalancers" -> excludedFromLoadBalancers = bool(p, field);
                case "speakerEligible" -> speakerEligible = bool(p, field);
                case "networkUnavailable" -> networkUnavailable = bool(p, field);
                case "kubeVip" -> kubeVip = kubeVip(p);
                case "evidence" -> evidence = evidence(p);
                case "intervalMs" -> intervalMs = integer(p, field);
                case "interface" -> iface = text(p, field);
                case "ip" -> ip = text(p, field);
                case "macs" -> macs = strings(p, field);
                case "links" -> links = links(p);
                case "windowMs" -> windowMs = integer(p, field);
                default -> p.skipChildren();
            }
        }

        /** Back to a fresh state, for the next line. */
        void clear() {
            type = null;
            cluster = null;
            observedAt = null;
            observedAtMillis = 0;
            source = null;
            eventId = null;
            op = null;
            namespace = null;
            name = null;
            uid = null;
            resourceVersion = null;
            serviceType = null;
            loadBalancerClass = null;
            externalTrafficPolicy = null;
            announcer = null;
            node = null;
            vip = null;
            ingressIps = null;
            requestedIps = null;
            interfaces = null;
            roles = null;
            annotations = null;
            addresses = null;
            deleted = null;
            excludedFromLoadBalancers = null;
            speakerEligible = null;
            networkUnavailable = null;
            kubeVip = null;
            evidence = null;
            intervalMs = null;
            iface = null;
            ip = null;
            macs = null;
            links = null;
            windowMs = null;
        }

        /** The event of a UTF-8 line {@code line[offset, offset + length)} (its bytes name it when it has no eventId). */
        InputEvent build(final byte[] line, final int offset, final int length) {
            return build(eventId != null ? null : () -> Arrays.copyOfRange(line, offset, offset + length));
        }

        InputEvent build(final Supplier<byte[]> lineBytes) {
            final String eventType = required(type, "type");
            final String clusterId = required(cluster, "cluster");
            final long time = observedAt == FAST_TIME ? observedAtMillis : time(required(observedAt, "observedAt"));
            final String id = eventId != null ? eventId
                    : UUID.nameUUIDFromBytes(lineBytes.get()).toString();
            final String from = source == null ? RecordingCodec.DEFAULT_SOURCE : source;
            // one method per type: the rare ones stay out of the common path's compiled code
            switch (eventType) {
                case ServiceChange.TYPE:
                    return service(clusterId, time, from, id);
                case AnnouncementChange.TYPE:
                    return announcement(clusterId, time, from, id);
                case NodeAddresses.TYPE:
                    return nodeAddresses(clusterId, time, from, id);
                case NodeFacts.TYPE:
                    return nodeFacts(clusterId, time, from, id);
                case Heartbeat.TYPE:
                    return new Heartbeat(clusterId, time, required(source, "source"), id, node,
                            intervalMs == null ? Heartbeat.DEFAULT_INTERVAL_MS : intervalMs);
                case WireObservation.TYPE:
                    return new WireObservation(clusterId, time, from, id, required(node, "node"),
                            required(iface, "interface"), LineParser.ip(required(ip, "ip"), "ip"), macs(macs),
                            windowMs == null ? WireObservation.DEFAULT_WINDOW_MS : windowMs);
                default:
                    throw new IllegalArgumentException("unknown type " + InputPolicy.excerpt(eventType)
                            + " (expected service, announcement, node-addresses, node, heartbeat or wire)");
            }
        }

        private ServiceChange service(final String clusterId, final long time, final String from, final String id) {
            return new ServiceChange(clusterId, time, from, id, enumValue(op, "op", ServiceChange.Op.class),
                    required(namespace, "namespace"), required(name, "name"), uid, resourceVersion,
                    serviceType, loadBalancerClass, ingressIps, requestedIps, externalTrafficPolicy, annotations);
        }

        private AnnouncementChange announcement(final String clusterId, final long time, final String from,
                final String id) {
            return new AnnouncementChange(clusterId, time, from, id,
                    enumValue(op, "op", AnnouncementChange.Op.class), required(namespace, "namespace"),
                    required(name, "name"), enumValue(announcer, "announcer", AnnouncementChange.Announcer.class),
                    required(node, "node"), vip == null ? null : ip(vip, "vip"), interfaces, evidence);
        }

        private NodeAddresses nodeAddresses(final String clusterId, final long time, final String from,
                final String id) {
            final boolean gone = deleted != null && deleted;
            if (addresses == null && !gone) {
                throw new IllegalArgumentException("missing 'addresses' (a node-addresses line is the full set)");
            }
            return new NodeAddresses(clusterId, time, from, id, required(node, "node"), addresses, gone, links);
        }

        private NodeFacts nodeFacts(final String clusterId, final long time, final String from, final String id) {
            return new NodeFacts(clusterId, time, from, id, required(node, "node"), roles,
                    excludedFromLoadBalancers != null && excludedFromLoadBalancers, speakerEligible,
                    networkUnavailable != null && networkUnavailable, kubeVip, deleted != null && deleted);
        }
    }

    // --- values: each error names the field

    /** The MACs of a wire line in canonical text (either case, ':' or '-' accepted); null is none. */
    private static List<String> macs(final List<String> macs) {
        if (macs == null) {
            return List.of();
        }
        List<String> out = macs;
        for (int i = 0; i < macs.size(); i++) {
            final String canonical = mac(macs.get(i), "macs[" + i + "]");
            if (!canonical.equals(macs.get(i))) {
                if (out == macs) {
                    out = new ArrayList<>(macs);
                }
                out.set(i, canonical);
            }
        }
        return out;
    }

    static String mac(final String text, final String where) {
        try {
            return Macs.canonical(text);
        } catch (final IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + where + "': " + e.getMessage());
        }
    }

    private static List<NodeAddresses.Link> links(final JsonParser p) throws IOException {
        if (!opens(p, JsonToken.START_ARRAY, "links", "must be an array")) {
            return List.of();
        }
        final List<NodeAddresses.Link> out = new ArrayList<>(2);
        int index = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            final String where = "links[" + index++ + "]";
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("'" + where + "' must be an object");
            }
            String iface = null;
            String macText = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                final String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "interface" -> iface = text(p, where + ".interface");
                    case "mac" -> macText = text(p, where + ".mac");
                    default -> p.skipChildren();
                }
            }
            out.add(link(iface, macText, where));
        }
        return out;
    }

    /** One entry of {@code links}: both fields required, the MAC canonical. */
    static NodeAddresses.Link link(final String iface, final String macText, final String where) {
        final String mac = mac(required(macText, where + ".mac"), where + ".mac");
        return new NodeAddresses.Link(required(iface, where + ".interface"), mac);
    }

    /**
     * At {@code start} (true) or at null (false); anything else is skipped and is the error
     * {@code '<field>' <must>}.
     */
    private static boolean opens(final JsonParser p, final JsonToken start, final String field, final String must)
            throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return false;
        }
        if (p.currentToken() != start) {
            p.skipChildren();
            throw new IllegalArgumentException("'" + field + "' " + must);
        }
        return true;
    }

    private static String required(final String value, final String field) {
        if (value == null) {
            throw new IllegalArgumentException("missing '" + field + "'");
        }
        if (value.isEmpty()) {
            throw new IllegalArgumentException("'" + field + "' must not be empty");
        }
        return value;
    }

    private static String text(final JsonParser p, final String field) throws IOException {
        final JsonToken token = p.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token != JsonToken.VALUE_STRING) {
            p.skipChildren();
            throw new IllegalArgumentException("'" + field + "' must be a string");
        }
        return p.getText();
    }

    private static Boolean bool(final JsonParser p, final String field) throws IOException {
        final JsonToken token = p.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
            throw new IllegalArgumentException("'" + field + "' must be true or false");
        }
        return token == JsonToken.VALUE_TRUE;
    }

    private static Long integer(final JsonParser p, final String field) throws IOException {
        final JsonToken token = p.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw new IllegalArgumentException("'" + field + "' must be an integer");
        }
        return p.getLongValue();
    }

    private static List<String> strings(final JsonParser p, final String field) throws IOException {
        if (!opens(p, JsonToken.START_ARRAY, field, "must be an array of strings")) {
            return List.of();
        }
        final List<String> out = new ArrayList<>(4);
        JsonToken token;
        while ((token = p.nextToken()) != JsonToken.END_ARRAY) {
            if (token != JsonToken.VALUE_STRING) {
                throw new IllegalArgumentException("'" + field + "' must be an array of strings");
            }
            out.add(p.getText());
        }
        return out;
    }

    private static List<String> ips(final JsonParser p, final String field) throws IOException {
        final List<String> raw = strings(p, field);
        for (int i = 0; i < raw.size(); i++) {
            raw.set(i, ip(raw.get(i), field + "[" + i + "]"));
        }
        return raw;
    }

    private static Map<String, String> stringMap(final JsonParser p, final String field) throws IOException {
        if (!opens(p, JsonToken.START_OBJECT, field, "must be an object of strings")) {
            return Map.of();
        }
        final Map<String, String> out = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            final String key = p.currentName();
            if (p.nextToken() != JsonToken.VALUE_STRING) {
                throw new IllegalArgumentException("'" + field + "." + key + "' must be a string");
            }
            out.put(key, p.getText());
        }
        return out;
    }

    private static List<NodeAddresses.Address> addresses(final JsonParser p) throws IOException {
        if (!opens(p, JsonToken.START_ARRAY, "addresses", "must be an array")) {
            return null;
        }
        final List<NodeAddresses.Address> out = new ArrayList<>(4);
        int index = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            final String where = "addresses[" + index++ + "]";
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("'" + where + "' must be an object");
            }
            String iface = null;
            String ipText = null;
            Long prefix = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                final String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "interface" -> iface = text(p, where + ".interface");
                    case "ip" -> ipText = text(p, where + ".ip");
                    case "prefixLength" -> prefix = integer(p, where + ".prefixLength");
                    default -> p.skipChildren();
                }
            }
            final String canonical = ip(required(ipText, where + ".ip"), where + ".ip");
            if (prefix == null) {
                throw new IllegalArgumentException("'" + where + ".prefixLength' must be an integer");
            }
            final int max = canonical.indexOf(':') >= 0 ? 128 : 32;
            if (prefix < 0 || prefix > max) {
                throw new IllegalArgumentException("'" + where + ".prefixLength' must be 0.." + max);
            }
            out.add(new NodeAddresses.Address(required(iface, where + ".interface"), canonical, prefix.intValue()));
        }
        return out;
    }

    private static NodeFacts.KubeVip kubeVip(final JsonParser p) throws IOException {
        if (!opens(p, JsonToken.START_OBJECT, "kubeVip", "must be an object or null")) {
            return null;
        }
        Boolean svcEnable = null;
        Boolean cpEnable = null;
        Boolean arp = null;
        String vipInterface = null;
        String pod = null;
        String image = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            final String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "svcEnable" -> svcEnable = bool(p, "kubeVip.svcEnable");
                case "cpEnable" -> cpEnable = bool(p, "kubeVip.cpEnable");
                case "arp" -> arp = bool(p, "kubeVip.arp");
                case "vipInterface" -> vipInterface = text(p, "kubeVip.vipInterface");
                case "pod" -> pod = text(p, "kubeVip.pod");
                case "image" -> image = text(p, "kubeVip.image");
                default -> p.skipChildren();
            }
        }
        if (svcEnable == null) {
            throw new IllegalArgumentException("'kubeVip.svcEnable' must be true or false");
        }
        return new NodeFacts.KubeVip(svcEnable, cpEnable, vipInterface, arp, pod, image);
    }

    private static AnnouncementChange.Evidence evidence(final JsonParser p) throws IOException {
        if (!opens(p, JsonToken.START_OBJECT, "evidence", "must be an object")) {
            return null;
        }
        String kind = null;
        String ref = null;
        String detail = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            final String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "kind" -> kind = text(p, "evidence.kind");
                case "ref" -> ref = text(p, "evidence.ref");
                case "detail" -> detail = text(p, "evidence.detail");
                default -> p.skipChildren();
            }
        }
        return new AnnouncementChange.Evidence(kind, ref, detail);
    }

    private static <E extends Enum<E>> E enumValue(final String text, final String field, final Class<E> type) {
        required(text, field);
        for (final E constant : type.getEnumConstants()) {
            if (constant.name().equals(text)) {
                return constant;
            }
        }
        final StringBuilder known = new StringBuilder();
        for (final E constant : type.getEnumConstants()) {
            known.append(known.length() == 0 ? "" : ", ").append(constant.name());
        }
        throw new IllegalArgumentException("unknown " + field + " " + InputPolicy.excerpt(text) + " (expected " + known + ")");
    }

    private static String ip(final String text, final String where) {
        try {
            return Ips.canonical(text);
        } catch (final IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + where + "': " + e.getMessage());
        }
    }

    /** RFC 3339; UTC times of the writer's own form take a fast path without java.time's parser. */
    static long time(final String text) {
        final long fast = Rfc3339.parseUtc(text);
        if (fast != Rfc3339.NOT_FAST) {
            return fast;
        }
        try {
            return OffsetDateTime.parse(text).toInstant().toEpochMilli();
        } catch (final ArithmeticException e) {
            throw new IllegalArgumentException("'observedAt' " + InputPolicy.excerpt(text)
                    + " is outside 1970-01-01T00:00:00Z .. 9999-12-31T23:59:59.999Z");
        } catch (final DateTimeParseException e) {
            throw new IllegalArgumentException("'observedAt' is not an RFC 3339 time: " + InputPolicy.excerpt(text));
        }
    }
}
