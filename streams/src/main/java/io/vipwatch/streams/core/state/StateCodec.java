package io.vipwatch.streams.core.state;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.vipwatch.streams.core.state.StateBytes.In;
import io.vipwatch.streams.core.state.StateBytes.Out;
import io.vipwatch.streams.core.vocabulary.AlertKind;
import io.vipwatch.streams.core.vocabulary.Announcer;

/**
 * Compact binary form of the state records for key-value stores and their changelogs: a format version
 * byte, then fields as varints, length-prefixed UTF-8 strings and IEEE doubles. No field names, no schema:
 * a VIP with one claim and one announcement takes about 200 bytes. Decoding checks the version and
 * fails with a message naming the record kind.
 *
 * <p>The changelogs outlive the code that wrote them, so every enumerated value is written as an explicit
 * <b>stable code</b>, never as an ordinal: announcers and condition kinds have the codes below, which never
 * change and are never reused (a new symbol gets a new code; a removed one keeps its code reserved). Only
 * announcers and condition kinds are stored: alert states and severities are derived, not kept. Format
 * versions:
 * <ul>
 * <li>1 (until December 2026): announcers and condition kinds by the ordinal of the Avro enum of the time,
 * conditions as a bit mask over those ordinals. Still read, with the symbol order of that time frozen in
 * {@link #V1_ANNOUNCERS} and {@link #V1_KINDS}; never written.</li>
 * <li>2 (until issue 14): stable codes; conditions as a count and (kind code, condition) pairs. Still read: a
 * node then has no links and a VIP no wire probes.</li>
 * <li>3: as 2, plus a node's links (interface, MAC) after its addresses and a VIP's wire probes after its
 * cause.</li>
 * </ul>
 * A record of a version this code does not know (written by a newer vipwatch) fails to decode, naming the
 * version: roll back the upgrade together with its state, or reset the application.
 */
public final class StateCodec {

    /** The version written. */
    static final byte VERSION = 3;
    static final byte VERSION_1 = 1;
    static final byte VERSION_2 = 2;

    /** Version 1's announcer ordinals, frozen. */
    private static final Announcer[] V1_ANNOUNCERS = {Announcer.METALLB_L2, Announcer.METALLB_BGP, Announcer.KUBE_VIP};
    /** Version 1's condition kind ordinals (the bits of the condition mask), frozen. */
    private static final AlertKind[] V1_KINDS = {AlertKind.FOREIGN_BINDING, AlertKind.DUPLICATE_RESPONDERS,
        AlertKind.EXCLUDED_NODE_OWNER, AlertKind.UNANNOUNCED, AlertKind.ORPHANED, AlertKind.DUAL_CONTROLLER,
        AlertKind.FLAPPING, AlertKind.COLLECTOR_SILENT};

    private StateCodec() {
    }

    // --- stable codes (never change one, never reuse one)

    static int code(final Announcer announcer) {
        return switch (announcer) {
            case METALLB_L2 -> 1;
            case METALLB_BGP -> 2;
            case KUBE_VIP -> 3;
        };
    }

    static Announcer announcer(final int code, final String kind) {
        return switch (code) {
            case 1 -> Announcer.METALLB_L2;
            case 2 -> Announcer.METALLB_BGP;
            case 3 -> Announcer.KUBE_VIP;
            default -> throw new IllegalStateException("cannot decode " + kind + " state: unknown announcer code " + code);
        };
    }

    static int code(final AlertKind kind) {
        return switch (kind) {
            case FOREIGN_BINDING -> 1;
            case DUPLICATE_RESPONDERS -> 2;
            case EXCLUDED_NODE_OWNER -> 3;
            case UNANNOUNCED -> 4;
            case ORPHANED -> 5;
            case DUAL_CONTROLLER -> 6;
            case FLAPPING -> 7;
            case COLLECTOR_SILENT -> 8;
            case UNKNOWN_RESPONDER -> 9;
            case WIRE_SILENT -> 10;
        };
    }

    static AlertKind kind(final int code, final String kind) {
        return switch (code) {
            case 1 -> AlertKind.FOREIGN_BINDING;
            case 2 -> AlertKind.DUPLICATE_RESPONDERS;
            case 3 -> AlertKind.EXCLUDED_NODE_OWNER;
            case 4 -> AlertKind.UNANNOUNCED;
            case 5 -> AlertKind.ORPHANED;
            case 6 -> AlertKind.DUAL_CONTROLLER;
            case 7 -> AlertKind.FLAPPING;
            case 8 -> AlertKind.COLLECTOR_SILENT;
            case 9 -> AlertKind.UNKNOWN_RESPONDER;
            case 10 -> AlertKind.WIRE_SILENT;
            default -> throw new IllegalStateException("cannot decode " + kind + " state: unknown condition kind code "
                    + code);
        };
    }

    private static Announcer readAnnouncer(final In in) {
        final int value = in.readVarint();
        if (in.version == VERSION_1) {
            if (value < 0 || value >= V1_ANNOUNCERS.length) {
                throw new IllegalStateException("cannot decode " + in.kind + " state: unknown announcer " + value);
            }
            return V1_ANNOUNCERS[value];
        }
        return announcer(value, in.kind);
    }

    // --- cluster

    public static byte[] encode(final ClusterRecord r) {
        final Out out = new Out(32 + r.dirty().size() * 16);
        out.writeString(r.cluster());
        out.writeLong(r.clock());
        out.writeLong(r.lastAdvanceWall());
        out.writeVarint(r.dirty().size());
        for (final String ip : r.dirty()) {
            out.writeString(ip);
        }
        out.writeStrings(new ArrayList<>(r.deletedNodes()));
        return out.toBytes();
    }

    public static ClusterRecord decodeCluster(final byte[] bytes) {
        return decodeCluster(bytes, null);
    }

    /** Decodes with the strings of earlier records decoded with {@code dedup} shared (null: none). */
    public static ClusterRecord decodeCluster(final byte[] bytes, final Dedup dedup) {
        final In in = new In(bytes, "cluster", dedup);
        final ClusterRecord r = new ClusterRecord(in.readString());
        final long clock = in.readLong();
        r.advance(clock, in.readLong());
        final int n = in.readVarint();
        for (int i = 0; i < n; i++) {
            r.dirty().add(in.readString());
        }
        r.deletedNodes().addAll(in.readStrings());
        return r;
    }

    // --- service

    public static byte[] encode(final ServiceRecord r) {
        final Out out = new Out(64 + r.announcements().size() * 64);
        out.writeString(r.name());
        out.writeBoolean(r.exists());
        out.writeStrings(r.ingressIps());
        out.writeString(r.metallbPool());
        out.writeBoolean(r.kubeVipClass());
        out.writeBoolean(r.kubeVipAnnotated());
        out.writeString(r.vipHost());
        out.writeLong(r.since());
        out.writeString(r.eventId());
        out.writeVarint(r.announcements().size());
        for (final ServiceRecord.Announcement a : r.announcements()) {
            out.writeVarint(code(a.announcer()));
            out.writeString(a.node());
            out.writeString(a.vip());
            out.writeLong(a.since());
            out.writeString(a.eventId());
        }
        return out.toBytes();
    }

    public static ServiceRecord decodeService(final byte[] bytes) {
        return decodeService(bytes, null);
    }

    /** Decodes with the strings of earlier records decoded with {@code dedup} shared (null: none). */
    public static ServiceRecord decodeService(final byte[] bytes, final Dedup dedup) {
        final In in = new In(bytes, "service", dedup);
        final ServiceRecord r = new ServiceRecord(in.readString());
        r.restore(in.readBoolean(), in.readStrings(), Names.intern(in.readString()), in.readBoolean(),
                in.readBoolean(), Names.intern(in.readString()), in.readLong(), in.readString());
        final int n = in.readVarint();
        for (int i = 0; i < n; i++) { // as stored (sorted when written)
            r.announcements().add(new ServiceRecord.Announcement(readAnnouncer(in), in.readString(),
                    in.readString(), in.readLong(), in.readString()));
        }
        return r;
    }

    // --- node

    public static byte[] encode(final NodeRecord r) {
        final Out out = new Out(96 + r.addresses().size() * 32);
        out.writeString(r.name());
        out.writeBoolean(r.hasFacts());
        out.writeBoolean(r.excluded());
        out.writeVarint(r.speakerEligible() == null ? 2 : r.speakerEligible() ? 1 : 0);
        out.writeBoolean(r.kubeVip());
        out.writeBoolean(r.svcEnable());
        out.writeString(r.kubeVipPod());
        out.writeString(r.factsEventId());
        out.writeLong(r.factsAt());
        out.writeVarint(r.addresses().size());
        for (final NodeRecord.Address a : r.addresses()) {
            out.writeString(a.ip());
            out.writeString(a.iface());
            out.writeVarint(a.prefixLength());
        }
        out.writeString(r.addressesEventId());
        out.writeLong(r.addressesAt());
        out.writeVarint(r.links().size());
        for (final NodeRecord.Link l : r.links()) {
            out.writeString(l.iface());
            out.writeString(l.mac());
        }
        return out.toBytes();
    }

    public static NodeRecord decodeNode(final byte[] bytes) {
        return decodeNode(bytes, null);
    }

    /** Decodes with the strings of earlier records decoded with {@code dedup} shared (null: none). */
    public static NodeRecord decodeNode(final byte[] bytes, final Dedup dedup) {
        final In in = new In(bytes, "node", dedup);
        final NodeRecord r = new NodeRecord(in.readString());
        final boolean hasFacts = in.readBoolean();
        final boolean excluded = in.readBoolean();
        final int eligible = in.readVarint();
        r.restoreFacts(hasFacts, excluded, eligible == 2 ? null : eligible == 1, in.readBoolean(), in.readBoolean(),
                in.readString(), in.readString(), in.readLong());
        final int n = in.readVarint();
        final List<NodeRecord.Address> addresses = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            addresses.add(new NodeRecord.Address(in.readString(), in.readString(), in.readVarint()));
        }
        r.setAddresses(List.copyOf(addresses), in.readString(), in.readLong());
        if (in.version >= 3) {
            final int links = in.readVarint();
            if (links > 0) {
                final List<NodeRecord.Link> out = new ArrayList<>(links);
                for (int i = 0; i < links; i++) {
                    out.add(new NodeRecord.Link(in.readString(), in.readString()));
                }
                r.setLinks(List.copyOf(out));
            }
        }
        return r;
    }

    // --- source

    public static byte[] encode(final SourceRecord r) {
        final Out out = new Out(96);
        out.writeString(r.source());
        out.writeString(r.node());
        out.writeLong(r.lastHeartbeat());
        out.writeString(r.lastEventId());
        out.writeLong(r.wakeAt());
        writeCondition(out, r.silent());
        return out.toBytes();
    }

    public static SourceRecord decodeSource(final byte[] bytes) {
        return decodeSource(bytes, null);
    }

    /** Decodes with the strings of earlier records decoded with {@code dedup} shared (null: none). */
    public static SourceRecord decodeSource(final byte[] bytes, final Dedup dedup) {
        final In in = new In(bytes, "source", dedup);
        final SourceRecord r = new SourceRecord(in.readString());
        final String node = Names.intern(in.readString());
        final long lastHeartbeat = in.readLong();
        r.heard(lastHeartbeat, in.readString(), node);
        r.setWakeAt(in.readLong());
        readCondition(in, r.silent());
        return r;
    }

    // --- VIP

    public static byte[] encode(final VipRecord r) {
        final Out out = new Out(256);
        out.writeString(r.ip());
        out.writeString(r.lastService());
        out.writeVarint(r.claims().size());
        for (final VipRecord.Claim c : r.claims()) {
            out.writeString(c.service());
            out.writeVarint((c.metallb() ? 1 : 0) | (c.kubeVip() ? 2 : 0) | (c.kubeVipMarker() ? 4 : 0));
            out.writeString(c.vipHost());
            out.writeString(c.pool());
            out.writeLong(c.since());
            out.writeString(c.eventId());
        }
        out.writeVarint(r.announcements().size());
        for (final VipRecord.Announcement a : r.announcements()) {
            out.writeString(a.node());
            out.writeVarint(code(a.announcer()));
            out.writeString(a.service());
            out.writeLong(a.since());
            out.writeString(a.eventId());
        }
        out.writeVarint(r.bindings().size());
        for (final VipRecord.Binding b : r.bindings()) {
            out.writeString(b.node());
            out.writeString(b.iface());
            out.writeVarint(b.prefixLength());
            out.writeLong(b.since());
            out.writeString(b.eventId());
        }
        out.writeStrings(r.responders());
        out.writeLong(r.updatedAt());
        final Map<AlertKind, Condition> conditions = r.conditions();
        out.writeVarint(conditions.size());
        for (final Map.Entry<AlertKind, Condition> e : conditions.entrySet()) {
            out.writeVarint(code(e.getKey()));
            writeCondition(out, e.getValue());
        }
        out.writeDouble(r.penalty());
        out.writeLong(r.penaltyAt());
        out.writeBoolean(r.groupStart() != null);
        if (r.groupStart() != null) {
            out.writeStrings(r.groupStart());
        }
        out.writeLong(r.groupLast());
        out.writeStrings(new ArrayList<>(r.flapNodes()));
        out.writeLong(r.wakeAt());
        out.writeString(r.causeType());
        if (r.causeType() != null) {
            out.writeString(r.causeKey());
            out.writeString(r.causeEventId());
            out.writeString(r.causeSource());
            out.writeLong(r.causeAt());
        }
        out.writeVarint(r.probes().size());
        for (final WireProbe p : r.probes()) {
            out.writeString(p.node());
            out.writeString(p.iface());
            out.writeStrings(p.macs());
            out.writeLong(p.at());
            out.writeString(p.eventId());
            out.writeString(p.source());
        }
        return out.toBytes();
    }

    public static VipRecord decodeVip(final byte[] bytes) {
        return decodeVip(bytes, null);
    }

    /** Decodes with the strings of earlier records decoded with {@code dedup} shared (null: none). */
    public static VipRecord decodeVip(final byte[] bytes, final Dedup dedup) {
        final In in = new In(bytes, "vip", dedup);
        final VipRecord r = new VipRecord(in.readString());
        r.setLastService(in.readString());
        int n = in.readVarint();
        for (int i = 0; i < n; i++) {
            final String service = in.readString();
            final int flags = in.readVarint();
            r.claims().add(new VipRecord.Claim(service, (flags & 1) != 0, (flags & 2) != 0, (flags & 4) != 0,
                    in.readString(), in.readString(), in.readLong(), in.readString()));
        }
        n = in.readVarint();
        for (int i = 0; i < n; i++) {
            r.announcements().add(new VipRecord.Announcement(in.readString(), readAnnouncer(in),
                    in.readString(), in.readLong(), in.readString()));
        }
        n = in.readVarint();
        for (int i = 0; i < n; i++) {
            r.bindings().add(new VipRecord.Binding(in.readString(), in.readString(), in.readVarint(), in.readLong(),
                    in.readString()));
        }
        r.setResponders(in.readNames());
        r.updated(in.readLong());
        if (in.version == VERSION_1) {
            final int mask = in.readVarint();
            for (int k = 0; k < 32; k++) {
                if ((mask & (1 << k)) != 0) {
                    if (k >= V1_KINDS.length) {
                        throw new IllegalStateException("cannot decode vip state: unknown condition kind " + k);
                    }
                    readCondition(in, r.conditionOrNew(V1_KINDS[k]));
                }
            }
        } else {
            final int count = in.readVarint();
            for (int i = 0; i < count; i++) {
                readCondition(in, r.conditionOrNew(kind(in.readVarint(), in.kind)));
            }
        }
        r.setPenalty(in.readDouble(), in.readLong());
        r.restoreGroup(in.readBoolean() ? in.readNames() : null, in.readLong());
        r.addFlapNodes(in.readStrings());
        r.setWakeAt(in.readLong());
        final String causeType = in.readString();
        if (causeType != null) {
            r.setCause(causeType, in.readString(), in.readString(), in.readString(), in.readLong());
        }
        if (in.version >= 3) {
            final int probes = in.readVarint();
            if (probes > 0) {
                final List<WireProbe> out = new ArrayList<>(probes);
                for (int i = 0; i < probes; i++) {
                    out.add(new WireProbe(in.readString(), in.readString(), in.readStrings(), in.readLong(),
                            in.readString(), in.readString()));
                }
                r.setProbes(List.copyOf(out));
            }
        }
        return r;
    }

    private static void writeCondition(final Out out, final Condition c) {
        out.writeLong(c.activeSince());
        out.writeLong(c.inactiveSince());
        out.writeBoolean(c.isOpen());
        out.writeLong(c.openedAt());
        out.writeVarint(c.seq());
        out.writeStrings(c.nodes());
        out.writeString(c.service());
        out.writeString(c.hint());
    }

    private static void readCondition(final In in, final Condition c) {
        c.restore(in.readLong(), in.readLong(), in.readBoolean(), in.readLong(), in.readVarint(), in.readNames(),
                in.readString(), in.readString());
    }

    /**
     * Shares equal strings among the records decoded with it: a restore decodes a Service's name, IPs and event
     * ids once in the Service and again in each of its VIPs; with one {@code Dedup} for the whole restore, the
     * restored state holds one copy, as the state built from the input does. Drop it after the restore.
     */
    public static final class Dedup {
        private final HashMap<String, String> seen = new HashMap<>();

        String of(final String value) {
            final String known = seen.putIfAbsent(value, value);
            return known != null ? known : value;
        }
    }
}
