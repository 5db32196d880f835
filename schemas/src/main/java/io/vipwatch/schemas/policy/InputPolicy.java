package io.vipwatch.schemas.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.vipwatch.schemas.Macs;
import io.vipwatch.schemas.event.AnnouncementChange;
import io.vipwatch.schemas.event.Heartbeat;
import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.schemas.event.NodeAddresses;
import io.vipwatch.schemas.event.NodeFacts;
import io.vipwatch.schemas.event.ServiceChange;
import io.vipwatch.schemas.event.WireObservation;

/**
 * The one input policy of vipwatch: what an input event may hold, the same for a recording line ({@code vipwatch
 * analyze}, {@code replay}), an input record live ({@code vipwatch streams}, dead-lettered) and the store. Every
 * check throws {@link InvalidRecordException} with its {@link DeadLetterReason} and a detail naming the field.
 *
 * <p>Identifiers follow Kubernetes' own limits where it has them: a namespace and a Service name are DNS-1123
 * labels (at most 63 lowercase letters, digits and {@code -}), a node name a DNS-1123 subdomain (at most 253, also
 * {@code .}), an interface at most 15 characters (Linux' IFNAMSIZ). A cluster id is at most 253 printable
 * characters without {@code /} or whitespace; a source at most 512 printable characters. No string anywhere may
 * hold U+0000 or exceed 64 KiB (annotations together 256 KiB, Kubernetes' limit), no list more than 4096 items.
 * Times lie in 1970-01-01T00:00:00Z .. 9999-12-31T23:59:59.999Z; the clock policy ({@link #checkClock}) bounds
 * them against the wall clock.
 */
public final class InputPolicy {

    /** Default of {@code --max-clock-skew}: how far ahead of the wall clock an event may be dated. */
    public static final Duration DEFAULT_MAX_CLOCK_SKEW = Duration.ofMinutes(5);
    /** The earliest time an event may carry (Kafka refuses negative timestamps). */
    public static final long MIN_TIME = 0L;
    /** The latest time any event may carry, whatever the wall clock: 9999-12-31T23:59:59.999Z. */
    public static final long MAX_TIME = Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli();

    public static final int MAX_CLUSTER = 253;
    public static final int MAX_LABEL = 63;
    public static final int MAX_SUBDOMAIN = 253;
    public static final int MAX_INTERFACE = 15;
    public static final int MAX_SOURCE = 512;
    public static final int MAX_EVENT_ID = 128;
    public static final int MAX_TEXT = 64 * 1024;
    public static final int MAX_ANNOTATIONS = 256 * 1024;
    public static final int MAX_ITEMS = 4096;
    /** The longest a prober may listen for replies ({@code windowMs} of a wire observation). */
    public static final long MAX_WINDOW_MS = 60_000;

    // identifiers that passed their check lately: every event names a cluster, a source and mostly a node, and a
    // fleet has few of them, so most events need not check them again character by character
    private static final Passed CLUSTERS = new Passed();
    private static final Passed SOURCES = new Passed();
    private static final Passed NODES = new Passed();
    private static final Passed INTERFACES = new Passed();

    private InputPolicy() {
    }

    /** Checks every field of an event (not the clock policy); returns it. */
    public static <E extends InputEvent> E check(final E event) {
        final String cluster = event.cluster();
        if (!CLUSTERS.has(cluster)) {
            CLUSTERS.add(cluster("cluster", cluster));
        }
        time("observedAt", event.observedAt());
        final String source = event.source();
        if (!SOURCES.has(source)) {
            SOURCES.add(printable("source", source, MAX_SOURCE, false));
        }
        printable("eventId", event.eventId(), MAX_EVENT_ID, false);
        if (event instanceof ServiceChange e) {
            label("namespace", e.namespace());
            label("name", e.name());
            text("uid", e.uid());
            text("resourceVersion", e.resourceVersion());
            text("serviceType", e.serviceType());
            text("loadBalancerClass", e.loadBalancerClass());
            text("externalTrafficPolicy", e.externalTrafficPolicy());
            items("ingressIps", e.ingressIps());
            items("requestedIps", e.requestedIps());
            annotations(e.annotations());
        } else if (event instanceof AnnouncementChange e) {
            label("namespace", e.namespace());
            label("name", e.name());
            subdomain("node", e.node());
            text("vip", e.vip());
            final List<String> interfaces = e.interfaces();
            count("interfaces", interfaces.size());
            for (int i = 0; i < interfaces.size(); i++) {
                try {
                    iface("", interfaces.get(i));
                } catch (final InvalidRecordException bad) {
                    throw at("interfaces[" + i + "]", bad);
                }
            }
            if (e.evidence() != null) {
                text("evidence.kind", e.evidence().kind());
                text("evidence.ref", e.evidence().ref());
                text("evidence.detail", e.evidence().detail());
            }
        } else if (event instanceof NodeAddresses e) {
            node(e.node());
            count("addresses", e.addresses().size());
            for (int i = 0; i < e.addresses().size(); i++) {
                final NodeAddresses.Address address = e.addresses().get(i);
                try {
                    if (!INTERFACES.has(address.iface())) {
                        INTERFACES.add(iface("interface", address.iface()));
                    }
                    text("ip", address.ip());
                } catch (final InvalidRecordException bad) {
                    throw at("addresses[" + i + "].", bad);
                }
            }
            count("links", e.links().size());
            for (int i = 0; i < e.links().size(); i++) {
                final NodeAddresses.Link link = e.links().get(i);
                try {
                    iface("interface", link.iface());
                    mac("mac", link.mac());
                } catch (final InvalidRecordException bad) {
                    throw at("links[" + i + "].", bad);
                }
            }
        } else if (event instanceof NodeFacts e) {
            subdomain("node", e.node());
            items("roles", e.roles());
            if (e.kubeVip() != null) {
                text("kubeVip.vipInterface", e.kubeVip().vipInterface());
                text("kubeVip.pod", e.kubeVip().pod());
                text("kubeVip.image", e.kubeVip().image());
            }
        } else if (event instanceof Heartbeat e) {
            if (e.node() != null) {
                node(e.node());
            }
        } else if (event instanceof WireObservation e) {
            subdomain("node", e.node());
            iface("interface", e.iface());
            text("ip", required("ip", e.ip()));
            count("macs", e.macs().size());
            for (int i = 0; i < e.macs().size(); i++) {
                try {
                    mac("", e.macs().get(i));
                } catch (final InvalidRecordException bad) {
                    throw at("macs[" + i + "]", bad);
                }
            }
            if (e.windowMs() < 1 || e.windowMs() > MAX_WINDOW_MS) {
                throw new InvalidRecordException(DeadLetterReason.BAD_TIME, "'windowMs' " + e.windowMs()
                        + " ms is outside 1 .. " + MAX_WINDOW_MS);
            }
        }
        return event;
    }

    private static void node(final String node) {
        if (!NODES.has(node)) {
            NODES.add(subdomain("node", node));
        }
    }

    /**
     * Values that passed one check (a check depends on the value alone, so a value that passed once passes again,
     * and skipping it changes no outcome or message): a direct-mapped table of the last ones, by hash code (a
     * collision replaces the slot). Shared by all threads: a slot is one reference to an immutable String, so a
     * racing reader sees an old or a new value, each one that passed.
     */
    private static final class Passed {
        private static final int SLOTS = 1024; // a power of two
        private final String[] values = new String[SLOTS];

        boolean has(final String value) {
            if (value == null) {
                return false;
            }
            final String known = values[value.hashCode() & (SLOTS - 1)];
            return known == value || (known != null && known.equals(value));
        }

        void add(final String value) {
            if (value != null) {
                values[value.hashCode() & (SLOTS - 1)] = value;
            }
        }
    }

    /**
     * The clock policy: an event dated more than {@code maxSkewMs} ahead of the wall clock is refused
     * ({@link DeadLetterReason#FUTURE_TIME}), so no single event can move its cluster's clock into the future and
     * silence it, and no record time the broker refuses is ever forwarded.
     */
    public static void checkClock(final long observedAt, final long wallNowMs, final long maxSkewMs) {
        if (observedAt > wallNowMs + maxSkewMs) {
            throw new InvalidRecordException(DeadLetterReason.FUTURE_TIME, "'observedAt' " + format(observedAt)
                    + " is more than " + Duration.ofMillis(maxSkewMs) + " ahead of the wall clock ("
                    + format(wallNowMs) + "); see the clock policy (--max-clock-skew)");
        }
    }

    /** A time vipwatch can store and compute with: 1970-01-01 .. 9999-12-31. */
    public static long time(final String field, final long epochMillis) {
        if (epochMillis < MIN_TIME || epochMillis > MAX_TIME) {
            throw new InvalidRecordException(DeadLetterReason.BAD_TIME, "'" + field + "' " + epochMillis
                    + " ms is outside 1970-01-01T00:00:00Z .. 9999-12-31T23:59:59.999Z");
        }
        return epochMillis;
    }

    /** A cluster id: 1..253 printable characters, no '/' (keys are cluster/...) and no whitespace. */
    public static String cluster(final String field, final String value) {
        printable(field, value, MAX_CLUSTER, true);
        for (int i = 0; i < value.length(); i++) {
            final char c = value.charAt(i);
            if (c == '/' || Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                throw bad(field, value, "must not contain '/' or whitespace");
            }
        }
        return value;
    }

    /** A DNS-1123 label (namespace, Service name): 1..63 of [a-z0-9-], alphanumeric at both ends. */
    public static String label(final String field, final String value) {
        required(field, value);
        if (value.length() > MAX_LABEL || !dns(value, false)) {
            throw bad(field, value, "must be a DNS-1123 label (at most 63 lowercase letters, digits and '-', "
                    + "starting and ending with a letter or digit)");
        }
        return value;
    }

    /** A DNS-1123 subdomain (node name): 1..253 of [a-z0-9-.], alphanumeric at both ends of every part. */
    public static String subdomain(final String field, final String value) {
        required(field, value);
        if (value.length() > MAX_SUBDOMAIN || !dns(value, true)) {
            throw bad(field, value, "must be a DNS-1123 subdomain (at most 253 lowercase letters, digits, '-' and "
                    + "'.', each part starting and ending with a letter or digit)");
        }
        return value;
    }

    /** A network interface name: 1..15 printable characters, no '/', ':' or whitespace (Linux' rule). */
    public static String iface(final String field, final String value) {
        printable(field, value, MAX_INTERFACE, true);
        for (int i = 0; i < value.length(); i++) {
            final char c = value.charAt(i);
            if (c == '/' || c == ':' || Character.isWhitespace(c)) {
                throw bad(field, value, "must not contain '/', ':' or whitespace");
            }
        }
        return value;
    }

    /** A MAC in canonical text ({@link Macs}): lowercase {@code aa:bb:cc:dd:ee:ff}. */
    public static String mac(final String field, final String value) {
        required(field, value);
        if (!Macs.isCanonical(value)) {
            nul(field, value);
            throw new InvalidRecordException(DeadLetterReason.INVALID_MAC, "'" + field + "' " + excerpt(value)
                    + " is not a MAC address in canonical text (lowercase aa:bb:cc:dd:ee:ff)");
        }
        return value;
    }

    /** A required printable identifier of at most {@code max} characters (sources, event ids). */
    public static String printable(final String field, final String value, final int max, final boolean required) {
        if (value == null || value.isEmpty()) {
            if (required) {
                required(field, value);
            }
            return value;
        }
        nul(field, value);
        if (value.length() > max) {
            throw bad(field, value, "is longer than " + max + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw bad(field, value, "contains a control character");
            }
        }
        return value;
    }

    /** Free text: no NUL, at most 64 KiB. Null is fine. */
    public static String text(final String field, final String value) {
        if (value != null) {
            nul(field, value);
            if (value.length() > MAX_TEXT) {
                throw new InvalidRecordException(DeadLetterReason.OVERSIZED, "'" + field + "' is longer than "
                        + MAX_TEXT + " characters");
            }
        }
        return value;
    }

    /** Fails with {@link DeadLetterReason#MISSING_FIELD} when null or empty. */
    public static String required(final String field, final String value) {
        if (value == null || value.isEmpty()) {
            throw new InvalidRecordException(DeadLetterReason.MISSING_FIELD, "'" + field + "' is empty");
        }
        return value;
    }

    private static void items(final String field, final List<String> values) {
        if (values == null) {
            return;
        }
        count(field, values.size());
        for (int i = 0; i < values.size(); i++) {
            try {
                text("", values.get(i));
            } catch (final InvalidRecordException bad) {
                throw at(field + "[" + i + "]", bad);
            }
        }
    }

    private static void count(final String field, final int size) {
        if (size > MAX_ITEMS) {
            throw new InvalidRecordException(DeadLetterReason.OVERSIZED, "'" + field + "' holds " + size
                    + " items, more than " + MAX_ITEMS);
        }
    }

    private static void annotations(final Map<String, String> annotations) {
        if (annotations == null) {
            return;
        }
        long total = 0;
        for (final Map.Entry<String, String> entry : annotations.entrySet()) {
            text("annotations key", entry.getKey());
            try {
                text("", entry.getValue());
            } catch (final InvalidRecordException bad) {
                throw at("annotations." + entry.getKey(), bad);
            }
            total += entry.getKey().length() + (entry.getValue() == null ? 0 : entry.getValue().length());
        }
        if (total > MAX_ANNOTATIONS) {
            throw new InvalidRecordException(DeadLetterReason.OVERSIZED, "'annotations' hold " + total
                    + " characters, more than Kubernetes' " + MAX_ANNOTATIONS);
        }
    }

    /**
     * The error of an element checked under a short field name, named by its full path: every message starts with
     * the field in quotes, so the path goes in front of it. (The hot path builds no field names for valid input.)
     */
    private static InvalidRecordException at(final String path, final InvalidRecordException bad) {
        return new InvalidRecordException(bad.reason(), "'" + path + bad.getMessage().substring(1));
    }

    private static void nul(final String field, final String value) {
        if (value.indexOf('\0') >= 0) {
            throw new InvalidRecordException(DeadLetterReason.NUL_CHARACTER, "'" + field + "' contains U+0000");
        }
    }

    private static boolean dns(final String value, final boolean dots) {
        char previous = '.';
        for (int i = 0; i < value.length(); i++) {
            final char c = value.charAt(i);
            final boolean alnum = c >= 'a' && c <= 'z' || c >= '0' && c <= '9';
            if (alnum) {
                previous = c;
                continue;
            }
            if (c == '-' && previous != '.') {
                previous = c;
                continue;
            }
            if (dots && c == '.' && previous != '.' && previous != '-') {
                previous = c;
                continue;
            }
            return false;
        }
        return previous != '-' && previous != '.';
    }

    private static InvalidRecordException bad(final String field, final String value, final String why) {
        nul(field, value);
        return new InvalidRecordException(DeadLetterReason.BAD_IDENTIFIER, "'" + field + "' " + excerpt(value) + " "
                + why);
    }

    /** At most 64 characters of a value for a message (an attacker's megabyte does not go into every log line). */
    public static String excerpt(final String value) {
        final StringBuilder out = new StringBuilder(Math.min(value.length(), 64) + 24).append('\'');
        for (int i = 0; i < value.length() && i < 64; i++) {
            final char c = value.charAt(i);
            out.append(Character.isISOControl(c) ? '?' : c);
        }
        out.append('\'');
        if (value.length() > 64) {
            out.append("… (").append(value.length()).append(" characters)");
        }
        return out.toString();
    }

    private static String format(final long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).toString();
    }
}
