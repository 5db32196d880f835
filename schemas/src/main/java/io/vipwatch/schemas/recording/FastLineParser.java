package io.vipwatch.schemas.recording;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.vipwatch.schemas.Ips;
import io.vipwatch.schemas.Macs;
import io.vipwatch.schemas.event.AnnouncementEvent;
import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.schemas.event.NodeAddressesEvent;
import io.vipwatch.schemas.event.NodeFactsEvent;
import io.vipwatch.schemas.policy.InputPolicy;

/**
 * The hot path of a {@link RecordingReader}: parses the lines the recording writer and the collectors produce
 * (plain ASCII strings without escapes, integers, booleans, nulls) straight from the line's bytes, and shares
 * one String instance for the values that repeat from line to line (type, cluster, node, source, names,
 * interfaces, canonical IPs). A line it is not sure of — an escape, a non-ASCII byte, a float, a wrong type,
 * anything malformed — goes to {@link LineParser}'s Jackson path, which decides and words every error; so a
 * line either parses to what that path would give or takes that path. One per reader: not thread-safe.
 */
final class FastLineParser {

    private static final int CACHE_SLOTS = 4096; // a power of two
    private static final int CACHE_MAX_LENGTH = 64;
    private static final int MAX_DEPTH = 64;

    /** Thrown to leave the fast path; preallocated, no stack trace. */
    private static final class Unsure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unsure() {
            super(null, null, false, false);
        }
    }

    private static final Unsure UNSURE = new Unsure();

    private static final int NAME_SLOTS = 256; // field names: few, looked up on every line, kept apart so they stay hot
    private final byte[][] nameKeys = new byte[NAME_SLOTS][];
    private final String[] nameValues = new String[NAME_SLOTS];
    private final byte[][] cacheKeys = new byte[CACHE_SLOTS][];
    private final String[] cacheValues = new String[CACHE_SLOTS];
    private final byte[][] ipKeys = new byte[CACHE_SLOTS][];
    private final String[] ipValues = new String[CACHE_SLOTS];

    private final LineParser.Fields f = new LineParser.Fields();
    private byte[] b;
    private int i;
    private int end;

    /** Parses the UTF-8 line {@code bytes[offset, offset + length)}: the same event or error as {@link LineParser}. */
    InputEvent parse(final byte[] bytes, final int offset, final int length) {
        final LineParser.Fields fields;
        try {
            fields = fields(bytes, offset, length);
        } catch (final Unsure | ArrayIndexOutOfBoundsException e) {
            return LineParser.parse(bytes, offset, length);
        } finally {
            b = null;
        }
        // the one input policy, as on the Jackson path (LineParser.parse)
        return InputPolicy.check(fields.build(bytes, offset, length));
    }

    private LineParser.Fields fields(final byte[] bytes, final int offset, final int length) {
        b = bytes;
        i = offset;
        end = offset + length;
        final LineParser.Fields f = this.f;
        f.clear();
        ws();
        expect('{');
        ws();
        if (peek() == '}') {
            i++;
        } else {
            while (true) {
                final String field = key();
                value(f, field);
                ws();
                final byte c = next();
                if (c == '}') {
                    break;
                }
                if (c != ',') {
                    throw UNSURE;
                }
                ws();
            }
        }
        ws();
        if (i != end) {
            throw UNSURE;
        }
        return f;
    }

    private void value(final LineParser.Fields f, final String field) {
        switch (field) {
            case "type" -> f.type = shared();
            case "cluster" -> f.cluster = shared();
            case "observedAt" -> observedAt(f);
            case "source" -> f.source = shared();
            case "eventId" -> f.eventId = fresh();
            case "op" -> f.op = shared();
            case "namespace" -> f.namespace = shared();
            case "name" -> f.name = shared();
            case "uid" -> f.uid = fresh();
            case "resourceVersion" -> f.resourceVersion = fresh();
            case "serviceType" -> f.serviceType = shared();
            case "loadBalancerClass" -> f.loadBalancerClass = shared();
            case "externalTrafficPolicy" -> f.externalTrafficPolicy = shared();
            case "announcer" -> f.announcer = shared();
            case "node" -> f.node = shared();
            case "vip" -> f.vip = ipOrNull();
            case "ingressIps" -> f.ingressIps = ips();
            case "requestedIps" -> f.requestedIps = ips();
            case "interfaces" -> f.interfaces = strings();
            case "roles" -> f.roles = strings();
            case "annotations" -> f.annotations = stringMap();
            case "addresses" -> f.addresses = addresses();
            case "deleted" -> f.deleted = bool();
            case "excludedFromLoadBalancers" -> f.excludedFromLoadBalancers = bool();
            case "speakerEligible" -> f.speakerEligible = bool();
            case "networkUnavailable" -> f.networkUnavailable = bool();
            case "kubeVip" -> f.kubeVip = kubeVip();
            case "evidence" -> f.evidence = evidence();
            case "intervalMs" -> f.intervalMs = integer();
            case "interface" -> f.iface = shared();
            case "ip" -> f.ip = ipOrNull();
            case "macs" -> f.macs = strings();
            case "links" -> f.links = links();
            case "windowMs" -> f.windowMs = integer();
            default -> skip(0);
        }
    }

    // --- the values of known fields: anything but the expected type is left to the Jackson path

    private void observedAt(final LineParser.Fields f) {
        if (nullLiteral()) {
            f.observedAt = null;
            return;
        }
        final int start = stringStart();
        final int stop = stringEnd(start);
        final long millis = Rfc3339.parseUtc(b, start, stop - start);
        if (millis == Rfc3339.NOT_FAST) {
            f.observedAt = new String(b, start, stop - start, StandardCharsets.ISO_8859_1);
        } else {
            f.observedAt = LineParser.FAST_TIME;
            f.observedAtMillis = millis;
        }
    }

    /** A string value shared between lines (or null). */
    private String shared() {
        if (nullLiteral()) {
            return null;
        }
        final int start = stringStart();
        return cached(start, stringEnd(start));
    }

    /** A string value unique to the line (or null). */
    private String fresh() {
        if (nullLiteral()) {
            return null;
        }
        final int start = stringStart();
        final int stop = stringEnd(start);
        return new String(b, start, stop - start, StandardCharsets.ISO_8859_1);
    }

    private Boolean bool() {
        final byte c = peek();
        if (c == 'n' && nullLiteral()) {
            return null;
        }
        if (c == 't') {
            literal("true");
            return Boolean.TRUE;
        }
        literal("false");
        return Boolean.FALSE;
    }

    private Long integer() {
        if (nullLiteral()) {
            return null;
        }
        return Long.valueOf(longValue());
    }

    /** A JSON integer of at most 18 digits (what Jackson reads as an int or a long). */
    private long longValue() {
        boolean negative = false;
        if (peek() == '-') {
            negative = true;
            i++;
        }
        final int start = i;
        long value = 0;
        while (i < end && b[i] >= '0' && b[i] <= '9') {
            value = value * 10 + (b[i] - '0');
            i++;
        }
        final int digits = i - start;
        if (digits == 0 || digits > 18 || (digits > 1 && b[start] == '0')) {
            throw UNSURE;
        }
        if (i < end && (b[i] == '.' || b[i] == 'e' || b[i] == 'E')) {
            throw UNSURE;
        }
        return negative ? -value : value;
    }

    private List<String> strings() {
        if (nullLiteral()) {
            return List.of();
        }
        expect('[');
        final List<String> out = new ArrayList<>(4);
        ws();
        if (peek() == ']') {
            i++;
            return out;
        }
        while (true) {
            ws();
            out.add(element());
            if (endOfArray()) {
                return out;
            }
        }
    }

    private List<String> ips() {
        if (nullLiteral()) {
            return List.of();
        }
        expect('[');
        final List<String> out = new ArrayList<>(4);
        ws();
        if (peek() == ']') {
            i++;
            return out;
        }
        while (true) {
            ws();
            out.add(ip());
            if (endOfArray()) {
                return out;
            }
        }
    }

    private String ipOrNull() {
        if (nullLiteral()) {
            return null;
        }
        return ip();
    }

    /** A string an array or a map holds: never null. */
    private String element() {
        final int start = stringStart();
        return cached(start, stringEnd(start));
    }

    private Map<String, String> stringMap() {
        if (nullLiteral()) {
            return Map.of();
        }
        expect('{');
        final Map<String, String> out = new LinkedHashMap<>();
        ws();
        if (peek() == '}') {
            i++;
            return out;
        }
        while (true) {
            final String key = key();
            out.put(key, element());
            if (endOfObject()) {
                return out;
            }
        }
    }

    private List<NodeAddressesEvent.Address> addresses() {
        if (nullLiteral()) {
            return null;
        }
        expect('[');
        NodeAddressesEvent.Address first = null;
        List<NodeAddressesEvent.Address> more = null; // from the second address on
        ws();
        if (peek() == ']') {
            i++;
            return List.of();
        }
        while (true) {
            ws();
            expect('{');
            String iface = null;
            String ip = null;
            long prefix = -1;
            boolean hasPrefix = false;
            ws();
            if (peek() == '}') {
                throw UNSURE; // no ip: the Jackson path words the error
            }
            while (true) {
                final String field = key();
                switch (field) {
                    case "interface" -> iface = shared();
                    case "ip" -> ip = nullLiteral() ? null : ip();
                    case "prefixLength" -> {
                        if (nullLiteral()) {
                            hasPrefix = false;
                        } else {
                            prefix = longValue();
                            hasPrefix = true;
                        }
                    }
                    default -> skip(0);
                }
                if (endOfObject()) {
                    break;
                }
            }
            if (ip == null || ip.isEmpty() || !hasPrefix || iface == null || iface.isEmpty()) {
                throw UNSURE;
            }
            final int max = ip.indexOf(':') >= 0 ? 128 : 32;
            if (prefix < 0 || prefix > max) {
                throw UNSURE;
            }
            final NodeAddressesEvent.Address address = new NodeAddressesEvent.Address(iface, ip, (int) prefix);
            if (first == null) {
                first = address;
            } else {
                if (more == null) {
                    more = new ArrayList<>(4);
                    more.add(first);
                }
                more.add(address);
            }
            if (endOfArray()) {
                // the event keeps an immutable copy: List.of is one already (and the usual single address)
                return more == null ? List.of(first) : more;
            }
        }
    }

    private List<NodeAddressesEvent.Link> links() {
        if (nullLiteral()) {
            return List.of();
        }
        expect('[');
        final List<NodeAddressesEvent.Link> out = new ArrayList<>(2);
        ws();
        if (peek() == ']') {
            i++;
            return out;
        }
        while (true) {
            ws();
            expect('{');
            String iface = null;
            String mac = null;
            ws();
            if (peek() == '}') {
                throw UNSURE; // no mac: the Jackson path words the error
            }
            while (true) {
                final String field = key();
                switch (field) {
                    case "interface" -> iface = shared();
                    case "mac" -> mac = shared();
                    default -> skip(0);
                }
                if (endOfObject()) {
                    break;
                }
            }
            if (iface == null || iface.isEmpty() || mac == null) {
                throw UNSURE;
            }
            try {
                out.add(new NodeAddressesEvent.Link(iface, Macs.canonical(mac)));
            } catch (final IllegalArgumentException e) {
                throw UNSURE; // the Jackson path words the error
            }
            if (endOfArray()) {
                return out;
            }
        }
    }

    private NodeFactsEvent.KubeVip kubeVip() {
        if (nullLiteral()) {
            return null;
        }
        expect('{');
        Boolean svcEnable = null;
        Boolean cpEnable = null;
        Boolean arp = null;
        String vipInterface = null;
        String pod = null;
        String image = null;
        ws();
        if (peek() == '}') {
            throw UNSURE; // svcEnable missing: the Jackson path words the error
        }
        while (true) {
            final String field = key();
            switch (field) {
                case "svcEnable" -> svcEnable = bool();
                case "cpEnable" -> cpEnable = bool();
                case "arp" -> arp = bool();
                case "vipInterface" -> vipInterface = shared();
                case "pod" -> pod = shared();
                case "image" -> image = shared();
                default -> skip(0);
            }
            if (endOfObject()) {
                break;
            }
        }
        if (svcEnable == null) {
            throw UNSURE;
        }
        return new NodeFactsEvent.KubeVip(svcEnable, cpEnable, vipInterface, arp, pod, image);
    }

    private AnnouncementEvent.Evidence evidence() {
        if (nullLiteral()) {
            return null;
        }
        expect('{');
        String kind = null;
        String ref = null;
        String detail = null;
        ws();
        if (peek() == '}') {
            i++;
            return new AnnouncementEvent.Evidence(null, null, null);
        }
        while (true) {
            final String field = key();
            switch (field) {
                case "kind" -> kind = shared();
                case "ref" -> ref = fresh();
                case "detail" -> detail = fresh();
                default -> skip(0);
            }
            if (endOfObject()) {
                break;
            }
        }
        return new AnnouncementEvent.Evidence(kind, ref, detail);
    }

    /** A string holding an IP, in canonical text, shared between lines. */
    private String ip() {
        final int start = stringStart();
        final int stop = stringEnd(start);
        final int length = stop - start;
        if (length == 0 || length > CACHE_MAX_LENGTH) {
            throw UNSURE;
        }
        final int slot = hash(start, stop) & (CACHE_SLOTS - 1);
        final byte[] key = ipKeys[slot];
        if (key != null && Arrays.equals(key, 0, key.length, b, start, stop)) {
            return ipValues[slot];
        }
        final String canonical;
        try {
            canonical = Ips.canonical(new String(b, start, length, StandardCharsets.ISO_8859_1));
        } catch (final IllegalArgumentException e) {
            throw UNSURE;
        }
        ipKeys[slot] = Arrays.copyOfRange(b, start, stop);
        ipValues[slot] = canonical;
        return canonical;
    }

    // --- structure

    /** A field name and its colon, then the blanks before the value. */
    private String key() {
        ws();
        final int start = stringStart();
        final String key = cached(start, stringEnd(start), nameKeys, nameValues, true);
        ws();
        expect(':');
        ws();
        return key;
    }

    /** After a value in an object: true at its '}', false after a ','. */
    private boolean endOfObject() {
        ws();
        final byte c = next();
        if (c == '}') {
            return true;
        }
        if (c != ',') {
            throw UNSURE;
        }
        return false;
    }

    /** After a value in an array: true at its ']', false after a ','. */
    private boolean endOfArray() {
        ws();
        final byte c = next();
        if (c == ']') {
            return true;
        }
        if (c != ',') {
            throw UNSURE;
        }
        return false;
    }

    /** Skips any value of an unknown field, checking it as strictly as Jackson would or leaving it to Jackson. */
    private void skip(final int depth) {
        if (depth > MAX_DEPTH) {
            throw UNSURE;
        }
        final byte c = peek();
        switch (c) {
            case '"' -> stringEnd(stringStart());
            case '{' -> {
                i++;
                ws();
                if (peek() == '}') {
                    i++;
                    return;
                }
                do {
                    key();
                    skip(depth + 1);
                } while (!endOfObject());
            }
            case '[' -> {
                i++;
                ws();
                if (peek() == ']') {
                    i++;
                    return;
                }
                do {
                    ws();
                    skip(depth + 1);
                } while (!endOfArray());
            }
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> number();
        }
    }

    /** A JSON number of a plain form: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?, short. */
    private void number() {
        final int start = i;
        if (peek() == '-') {
            i++;
        }
        final int digits = digits();
        if (digits == 0 || (digits > 1 && b[i - digits] == '0')) {
            throw UNSURE;
        }
        if (i < end && b[i] == '.') {
            i++;
            if (digits() == 0) {
                throw UNSURE;
            }
        }
        if (i < end && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            if (i < end && (b[i] == '+' || b[i] == '-')) {
                i++;
            }
            if (digits() == 0) {
                throw UNSURE;
            }
        }
        if (i - start > 100 || (i < end && isWordByte(b[i]))) {
            throw UNSURE;
        }
    }

    private int digits() {
        final int start = i;
        while (i < end && b[i] >= '0' && b[i] <= '9') {
            i++;
        }
        return i - start;
    }

    private boolean nullLiteral() {
        if (peek() == 'n') {
            literal("null");
            return true;
        }
        return false;
    }

    private void literal(final String word) {
        final int length = word.length();
        if (end - i < length) {
            throw UNSURE;
        }
        for (int k = 0; k < length; k++) {
            if (b[i + k] != word.charAt(k)) {
                throw UNSURE;
            }
        }
        i += length;
        if (i < end && isWordByte(b[i])) {
            throw UNSURE;
        }
    }

    private static boolean isWordByte(final byte c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.'
                || c == '-' || c == '+' || c < 0;
    }

    /** At an opening quote: the first byte of the string's content. */
    private int stringStart() {
        if (i >= end || b[i] != '"') {
            throw UNSURE;
        }
        return ++i;
    }

    /** The end of a string's content (its closing quote, passed); only printable ASCII without escapes. */
    private int stringEnd(final int start) {
        for (int k = start; k < end; k++) {
            final byte c = b[k];
            if (c == '"') {
                i = k + 1;
                return k;
            }
            if (c == '\\' || c < 0x20) { // an escape, a control character or a non-ASCII byte (negative)
                throw UNSURE;
            }
        }
        throw UNSURE;
    }

    private String cached(final int start, final int stop) {
        return cached(start, stop, cacheKeys, cacheValues, false);
    }

    /**
     * The shared String of {@code b[start, stop)} from a direct-mapped table (a collision replaces the slot);
     * field names interned, so the field switch matches by identity.
     */
    private String cached(final int start, final int stop, final byte[][] keys, final String[] values,
            final boolean name) {
        final int length = stop - start;
        if (length > CACHE_MAX_LENGTH) {
            return new String(b, start, length, StandardCharsets.ISO_8859_1);
        }
        final int slot = hash(start, stop) & (keys.length - 1);
        final byte[] key = keys[slot];
        if (key != null && Arrays.equals(key, 0, key.length, b, start, stop)) {
            return values[slot];
        }
        final String made = new String(b, start, length, StandardCharsets.ISO_8859_1);
        final String value = name ? made.intern() : made;
        keys[slot] = Arrays.copyOfRange(b, start, stop);
        values[slot] = value;
        return value;
    }

    private int hash(final int start, final int stop) {
        int h = 0;
        for (int k = start; k < stop; k++) {
            h = 31 * h + b[k];
        }
        return h ^ (h >>> 16);
    }

    private void ws() {
        while (i < end) {
            final byte c = b[i];
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                return;
            }
            i++;
        }
    }

    private byte peek() {
        if (i >= end) {
            throw UNSURE;
        }
        return b[i];
    }

    private byte next() {
        if (i >= end) {
            throw UNSURE;
        }
        return b[i++];
    }

    private void expect(final char c) {
        if (next() != c) {
            throw UNSURE;
        }
    }
}
