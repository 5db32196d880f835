package io.vipwatch.schemas.recording;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.vipwatch.schemas.Macs;
import io.vipwatch.schemas.event.AnnouncementChange;
import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.schemas.event.NodeAddresses;
import io.vipwatch.schemas.event.NodeFacts;
import io.vipwatch.schemas.policy.InputPolicy;

/**
 * The hot path of a {@link RecordingReader}: parses the lines the recording writer and the collectors produce
 * (plain ASCII strings without escapes, integers, booleans, nulls) straight from the line's bytes, and shares
 * one String instance for the values that repeat from line to line (type, cluster, node, source, names,
 * interfaces, canonical IPs). A line it is not sure of — an escape, a non-ASCII byte, a float, a wrong type,
 * anything malformed — goes to {@link LineParser}'s Jackson path, which decides and words every error; so a
 * line either parses to what that path would give or takes that path. One per reader: not thread-safe.
 * <p>
 * This class reads the recording's fields; {@link JsonScanner}, its superclass, reads the JSON bytes and keeps the
 * shared strings.
 */
final class FastLineParser extends JsonScanner {

    // the field names the parser knows, as small numbers: a switch on them is a jump table (a switch on the
    // String compares hash codes and calls equals, and compiles to much more code on this hot path); 0 is
    // JsonScanner.UNKNOWN, a name the parser does not read
    private static final int TYPE = 1;
    private static final int CLUSTER = 2;
    private static final int OBSERVED_AT = 3;
    private static final int SOURCE = 4;
    private static final int EVENT_ID = 5;
    private static final int OP = 6;
    private static final int NAMESPACE = 7;
    private static final int NAME = 8;
    private static final int UID = 9;
    private static final int RESOURCE_VERSION = 10;
    private static final int SERVICE_TYPE = 11;
    private static final int LOAD_BALANCER_CLASS = 12;
    private static final int EXTERNAL_TRAFFIC_POLICY = 13;
    private static final int ANNOUNCER = 14;
    private static final int NODE = 15;
    private static final int VIP = 16;
    private static final int INGRESS_IPS = 17;
    private static final int REQUESTED_IPS = 18;
    private static final int INTERFACES = 19;
    private static final int ROLES = 20;
    private static final int ANNOTATIONS = 21;
    private static final int ADDRESSES = 22;
    private static final int DELETED = 23;
    private static final int EXCLUDED_FROM_LOAD_BALANCERS = 24;
    private static final int SPEAKER_ELIGIBLE = 25;
    private static final int NETWORK_UNAVAILABLE = 26;
    private static final int KUBE_VIP = 27;
    private static final int EVIDENCE = 28;
    private static final int INTERVAL_MS = 29;
    private static final int INTERFACE = 30; // in an address
    private static final int IP = 31;
    private static final int PREFIX_LENGTH = 32;
    private static final int SVC_ENABLE = 33; // in kubeVip
    private static final int CP_ENABLE = 34;
    private static final int ARP = 35;
    private static final int VIP_INTERFACE = 36;
    private static final int POD = 37;
    private static final int IMAGE = 38;
    private static final int KIND = 39; // in evidence
    private static final int REF = 40;
    private static final int DETAIL = 41;
    private static final int MACS = 42; // wire observations
    private static final int LINKS = 43; // in address snapshots
    private static final int WINDOW_MS = 44;
    private static final int MAC = 45; // in a link
    private static final Map<String, Integer> FIELD_IDS = Map.ofEntries(Map.entry("type", TYPE),
            Map.entry("cluster", CLUSTER), Map.entry("observedAt", OBSERVED_AT), Map.entry("source", SOURCE),
            Map.entry("eventId", EVENT_ID), Map.entry("op", OP), Map.entry("namespace", NAMESPACE),
            Map.entry("name", NAME), Map.entry("uid", UID), Map.entry("resourceVersion", RESOURCE_VERSION),
            Map.entry("serviceType", SERVICE_TYPE), Map.entry("loadBalancerClass", LOAD_BALANCER_CLASS),
            Map.entry("externalTrafficPolicy", EXTERNAL_TRAFFIC_POLICY), Map.entry("announcer", ANNOUNCER),
            Map.entry("node", NODE), Map.entry("vip", VIP), Map.entry("ingressIps", INGRESS_IPS),
            Map.entry("requestedIps", REQUESTED_IPS), Map.entry("interfaces", INTERFACES), Map.entry("roles", ROLES),
            Map.entry("annotations", ANNOTATIONS), Map.entry("addresses", ADDRESSES), Map.entry("deleted", DELETED),
            Map.entry("excludedFromLoadBalancers", EXCLUDED_FROM_LOAD_BALANCERS),
            Map.entry("speakerEligible", SPEAKER_ELIGIBLE), Map.entry("networkUnavailable", NETWORK_UNAVAILABLE),
            Map.entry("kubeVip", KUBE_VIP), Map.entry("evidence", EVIDENCE), Map.entry("intervalMs", INTERVAL_MS),
            Map.entry("interface", INTERFACE), Map.entry("ip", IP), Map.entry("prefixLength", PREFIX_LENGTH),
            Map.entry("svcEnable", SVC_ENABLE), Map.entry("cpEnable", CP_ENABLE), Map.entry("arp", ARP),
            Map.entry("vipInterface", VIP_INTERFACE), Map.entry("pod", POD), Map.entry("image", IMAGE),
            Map.entry("kind", KIND), Map.entry("ref", REF), Map.entry("detail", DETAIL), Map.entry("macs", MACS),
            Map.entry("links", LINKS), Map.entry("windowMs", WINDOW_MS), Map.entry("mac", MAC));

    private final LineParser.Fields f = new LineParser.Fields();

    FastLineParser() {
        super(FIELD_IDS);
    }

    /** Parses the UTF-8 line {@code bytes[offset, offset + length)}: the same event or error as {@link LineParser}. */
    InputEvent parse(final byte[] bytes, final int offset, final int length) {
        final LineParser.Fields fields;
        try {
            fields = fields(bytes, offset, length);
        } catch (final Unsure | ArrayIndexOutOfBoundsException e) {
            return LineParser.parse(bytes, offset, length);
        } finally {
            release();
        }
        // the one input policy, as on the Jackson path (LineParser.parse)
        return InputPolicy.check(fields.build(bytes, offset, length));
    }

    private LineParser.Fields fields(final byte[] bytes, final int offset, final int length) {
        begin(bytes, offset, length);
        final LineParser.Fields f = this.f;
        f.clear();
        ws();
        if (!opensEmpty('{', '}')) {
            do {
                value(f, key());
            } while (!closes('}'));
        }
        endOfLine();
        return f;
    }

    // one method for all fields, too big for the JIT to inline: compiled once, not again into every caller
    private void value(final LineParser.Fields f, final int field) {
        switch (field) {
            case TYPE -> f.type = shared();
            case CLUSTER -> f.cluster = shared();
            case OBSERVED_AT -> observedAt(f);
            case SOURCE -> f.source = shared();
            case EVENT_ID -> f.eventId = fresh();
            case NODE -> f.node = shared();
            case ADDRESSES -> f.addresses = addresses();
            case OP -> f.op = shared();
            case NAMESPACE -> f.namespace = shared();
            case NAME -> f.name = shared();
            case UID -> f.uid = fresh();
            case RESOURCE_VERSION -> f.resourceVersion = fresh();
            case SERVICE_TYPE -> f.serviceType = shared();
            case LOAD_BALANCER_CLASS -> f.loadBalancerClass = shared();
            case EXTERNAL_TRAFFIC_POLICY -> f.externalTrafficPolicy = shared();
            case ANNOUNCER -> f.announcer = shared();
            case VIP -> f.vip = ipOrNull();
            case INGRESS_IPS -> f.ingressIps = strings(true);
            case REQUESTED_IPS -> f.requestedIps = strings(true);
            case INTERFACES -> f.interfaces = strings(false);
            case ROLES -> f.roles = strings(false);
            case ANNOTATIONS -> f.annotations = stringMap();
            case DELETED -> f.deleted = bool();
            case EXCLUDED_FROM_LOAD_BALANCERS -> f.excludedFromLoadBalancers = bool();
            case SPEAKER_ELIGIBLE -> f.speakerEligible = bool();
            case NETWORK_UNAVAILABLE -> f.networkUnavailable = bool();
            case KUBE_VIP -> f.kubeVip = kubeVip();
            case EVIDENCE -> f.evidence = evidence();
            case INTERVAL_MS -> f.intervalMs = integer();
            case INTERFACE -> f.iface = shared();
            case IP -> f.ip = ipOrNull();
            case MACS -> f.macs = strings(false);
            case LINKS -> f.links = links();
            case WINDOW_MS -> f.windowMs = integer();
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

    /** An array of strings (null is empty): IPs in canonical text if {@code ips}, else as they stand. */
    private List<String> strings(final boolean ips) {
        if (nullLiteral()) {
            return List.of();
        }
        final List<String> out = new ArrayList<>(4);
        if (opensEmpty('[', ']')) {
            return out;
        }
        while (true) {
            ws();
            out.add(ips ? ip() : element());
            if (closes(']')) {
                return out;
            }
        }
    }

    private Map<String, String> stringMap() {
        if (nullLiteral()) {
            return Map.of();
        }
        final Map<String, String> out = new LinkedHashMap<>();
        if (opensEmpty('{', '}')) {
            return out;
        }
        while (true) {
            key();
            final String key = keyName;
            out.put(key, element());
            if (closes('}')) {
                return out;
            }
        }
    }

    private List<NodeAddresses.Address> addresses() {
        if (nullLiteral()) {
            return null;
        }
        if (opensEmpty('[', ']')) {
            return List.of();
        }
        NodeAddresses.Address first = null;
        List<NodeAddresses.Address> more = null; // from the second address on
        while (true) {
            ws();
            String iface = null;
            String ip = null;
            long prefix = -1;
            boolean hasPrefix = false;
            if (opensEmpty('{', '}')) {
                throw UNSURE; // no ip: the Jackson path words the error
            }
            while (true) {
                switch (key()) {
                    case INTERFACE -> iface = shared();
                    case IP -> ip = nullLiteral() ? null : ip();
                    case PREFIX_LENGTH -> {
                        if (nullLiteral()) {
                            hasPrefix = false;
                        } else {
                            prefix = longValue();
                            hasPrefix = true;
                        }
                    }
                    default -> skip(0);
                }
                if (closes('}')) {
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
            final NodeAddresses.Address address = new NodeAddresses.Address(iface, ip, (int) prefix);
            if (first == null) {
                first = address;
            } else {
                if (more == null) {
                    more = new ArrayList<>(4);
                    more.add(first);
                }
                more.add(address);
            }
            if (closes(']')) {
                // the event keeps an immutable copy: List.of is one already (and the usual single address)
                return more == null ? List.of(first) : more;
            }
        }
    }

    private List<NodeAddresses.Link> links() {
        if (nullLiteral()) {
            return List.of();
        }
        final List<NodeAddresses.Link> out = new ArrayList<>(2);
        if (opensEmpty('[', ']')) {
            return out;
        }
        while (true) {
            ws();
            String iface = null;
            String mac = null;
            if (opensEmpty('{', '}')) {
                throw UNSURE; // no mac: the Jackson path words the error
            }
            while (true) {
                switch (key()) {
                    case INTERFACE -> iface = shared();
                    case MAC -> mac = shared();
                    default -> skip(0);
                }
                if (closes('}')) {
                    break;
                }
            }
            if (iface == null || iface.isEmpty() || mac == null) {
                throw UNSURE;
            }
            try {
                out.add(new NodeAddresses.Link(iface, Macs.canonical(mac)));
            } catch (final IllegalArgumentException e) {
                throw UNSURE; // the Jackson path words the error
            }
            if (closes(']')) {
                return out;
            }
        }
    }

    private NodeFacts.KubeVip kubeVip() {
        if (nullLiteral()) {
            return null;
        }
        Boolean svcEnable = null;
        Boolean cpEnable = null;
        Boolean arp = null;
        String vipInterface = null;
        String pod = null;
        String image = null;
        if (opensEmpty('{', '}')) {
            throw UNSURE; // svcEnable missing: the Jackson path words the error
        }
        while (true) {
            switch (key()) {
                case SVC_ENABLE -> svcEnable = bool();
                case CP_ENABLE -> cpEnable = bool();
                case ARP -> arp = bool();
                case VIP_INTERFACE -> vipInterface = shared();
                case POD -> pod = shared();
                case IMAGE -> image = shared();
                default -> skip(0);
            }
            if (closes('}')) {
                break;
            }
        }
        if (svcEnable == null) {
            throw UNSURE;
        }
        return new NodeFacts.KubeVip(svcEnable, cpEnable, vipInterface, arp, pod, image);
    }

    private AnnouncementChange.Evidence evidence() {
        if (nullLiteral()) {
            return null;
        }
        String kind = null;
        String ref = null;
        String detail = null;
        if (opensEmpty('{', '}')) {
            return new AnnouncementChange.Evidence(null, null, null);
        }
        while (true) {
            switch (key()) {
                case KIND -> kind = shared();
                case REF -> ref = fresh();
                case DETAIL -> detail = fresh();
                default -> skip(0);
            }
            if (closes('}')) {
                break;
            }
        }
        return new AnnouncementChange.Evidence(kind, ref, detail);
    }
}
