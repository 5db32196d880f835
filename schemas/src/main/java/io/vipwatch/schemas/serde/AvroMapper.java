package io.vipwatch.schemas.serde;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.specific.SpecificRecordBase;

import io.vipwatch.schemas.avro.AnnouncementEvidence;
import io.vipwatch.schemas.avro.AnnouncementOp;
import io.vipwatch.schemas.avro.Announcer;
import io.vipwatch.schemas.avro.EvidenceKind;
import io.vipwatch.schemas.avro.KubeVipFacts;
import io.vipwatch.schemas.avro.NodeAddress;
import io.vipwatch.schemas.avro.NodeLink;
import io.vipwatch.schemas.avro.ServiceOp;
import io.vipwatch.schemas.event.AnnouncementChange;
import io.vipwatch.schemas.event.Heartbeat;
import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.schemas.event.NodeAddresses;
import io.vipwatch.schemas.event.NodeFacts;
import io.vipwatch.schemas.event.ServiceChange;
import io.vipwatch.schemas.event.WireObservation;

/** The one place input events cross between Java records (in process) and Avro (on the wire). */
public final class AvroMapper {

    private AvroMapper() {
    }

    public static SpecificRecordBase toAvro(final InputEvent event) {
        if (event instanceof ServiceChange e) {
            return toAvro(e);
        } else if (event instanceof AnnouncementChange e) {
            return toAvro(e);
        } else if (event instanceof NodeAddresses e) {
            return toAvro(e);
        } else if (event instanceof NodeFacts e) {
            return toAvro(e);
        } else if (event instanceof Heartbeat e) {
            return toAvro(e);
        } else if (event instanceof WireObservation e) {
            return toAvro(e);
        }
        throw new IllegalArgumentException("unknown event " + event);
    }

    public static InputEvent fromAvro(final SpecificRecordBase record) {
        if (record instanceof io.vipwatch.schemas.avro.ServiceChange r) {
            return fromAvro(r);
        } else if (record instanceof io.vipwatch.schemas.avro.AnnouncementChange r) {
            return fromAvro(r);
        } else if (record instanceof io.vipwatch.schemas.avro.NodeAddresses r) {
            return fromAvro(r);
        } else if (record instanceof io.vipwatch.schemas.avro.NodeFacts r) {
            return fromAvro(r);
        } else if (record instanceof io.vipwatch.schemas.avro.Heartbeat r) {
            return fromAvro(r);
        } else if (record instanceof io.vipwatch.schemas.avro.WireObservation r) {
            return fromAvro(r);
        }
        throw new IllegalArgumentException("not an input record: " + record.getSchema().getFullName());
    }

    public static io.vipwatch.schemas.avro.ServiceChange toAvro(final ServiceChange e) {
        return io.vipwatch.schemas.avro.ServiceChange.newBuilder()
                .setEventId(e.eventId()).setCluster(e.cluster()).setObservedAt(e.observedAt()).setSource(e.source())
                .setOp(ServiceOp.valueOf(e.op().name()))
                .setNamespace(e.namespace()).setName(e.name())
                .setUid(e.uid()).setResourceVersion(e.resourceVersion()).setServiceType(e.serviceType())
                .setLoadBalancerClass(e.loadBalancerClass())
                .setIngressIps(new ArrayList<>(e.ingressIps()))
                .setRequestedIps(new ArrayList<>(e.requestedIps()))
                .setExternalTrafficPolicy(e.externalTrafficPolicy())
                .setAnnotations(new HashMap<>(e.annotations()))
                .build();
    }

    public static ServiceChange fromAvro(final io.vipwatch.schemas.avro.ServiceChange r) {
        return new ServiceChange(r.getCluster(), r.getObservedAt(), r.getSource(), r.getEventId(),
                ServiceChange.Op.valueOf(r.getOp().name()), r.getNamespace(), r.getName(), r.getUid(),
                r.getResourceVersion(), r.getServiceType(), r.getLoadBalancerClass(), r.getIngressIps(),
                r.getRequestedIps(), r.getExternalTrafficPolicy(), r.getAnnotations());
    }

    public static io.vipwatch.schemas.avro.AnnouncementChange toAvro(final AnnouncementChange e) {
        final AnnouncementChange.Evidence ev = e.evidence();
        return io.vipwatch.schemas.avro.AnnouncementChange.newBuilder()
                .setEventId(e.eventId()).setCluster(e.cluster()).setObservedAt(e.observedAt()).setSource(e.source())
                .setOp(AnnouncementOp.valueOf(e.op().name()))
                .setNamespace(e.namespace()).setName(e.name())
                .setAnnouncer(Announcer.valueOf(e.announcer().name()))
                .setNode(e.node()).setVip(e.vip())
                .setInterfaces(new ArrayList<>(e.interfaces()))
                .setEvidence(ev == null ? null : new AnnouncementEvidence(evidenceKind(ev.kind()), ev.ref(), ev.detail()))
                .build();
    }

    public static AnnouncementChange fromAvro(final io.vipwatch.schemas.avro.AnnouncementChange r) {
        final AnnouncementEvidence ev = r.getEvidence();
        return new AnnouncementChange(r.getCluster(), r.getObservedAt(), r.getSource(), r.getEventId(),
                AnnouncementChange.Op.valueOf(r.getOp().name()), r.getNamespace(), r.getName(),
                AnnouncementChange.Announcer.valueOf(r.getAnnouncer().name()), r.getNode(), r.getVip(),
                r.getInterfaces(),
                ev == null ? null : new AnnouncementChange.Evidence(ev.getKind().name(), ev.getRef(), ev.getDetail()));
    }

    private static EvidenceKind evidenceKind(final String kind) {
        try {
            return EvidenceKind.valueOf(kind);
        } catch (final IllegalArgumentException | NullPointerException e) {
            return EvidenceKind.OTHER;
        }
    }

    public static io.vipwatch.schemas.avro.NodeAddresses toAvro(final NodeAddresses e) {
        final List<NodeAddress> addresses = new ArrayList<>(e.addresses().size());
        for (final NodeAddresses.Address a : e.addresses()) {
            addresses.add(new NodeAddress(a.iface(), a.ip(), a.prefixLength()));
        }
        final List<NodeLink> links = new ArrayList<>(e.links().size());
        for (final NodeAddresses.Link l : e.links()) {
            links.add(new NodeLink(l.iface(), l.mac()));
        }
        return io.vipwatch.schemas.avro.NodeAddresses.newBuilder()
                .setEventId(e.eventId()).setCluster(e.cluster()).setObservedAt(e.observedAt()).setSource(e.source())
                .setNode(e.node()).setAddresses(addresses).setDeleted(e.deleted()).setLinks(links)
                .build();
    }

    public static NodeAddresses fromAvro(final io.vipwatch.schemas.avro.NodeAddresses r) {
        final List<NodeAddresses.Address> addresses = new ArrayList<>(r.getAddresses().size());
        for (final NodeAddress a : r.getAddresses()) {
            addresses.add(new NodeAddresses.Address(a.getInterface$(), a.getIp(), a.getPrefixLength()));
        }
        final List<NodeAddresses.Link> links = new ArrayList<>(r.getLinks().size());
        for (final NodeLink l : r.getLinks()) {
            links.add(new NodeAddresses.Link(l.getInterface$(), l.getMac()));
        }
        return new NodeAddresses(r.getCluster(), r.getObservedAt(), r.getSource(), r.getEventId(), r.getNode(),
                addresses, r.getDeleted(), links);
    }

    public static io.vipwatch.schemas.avro.NodeFacts toAvro(final NodeFacts e) {
        final NodeFacts.KubeVip kv = e.kubeVip();
        return io.vipwatch.schemas.avro.NodeFacts.newBuilder()
                .setEventId(e.eventId()).setCluster(e.cluster()).setObservedAt(e.observedAt()).setSource(e.source())
                .setNode(e.node()).setRoles(new ArrayList<>(e.roles()))
                .setExcludedFromLoadBalancers(e.excludedFromLoadBalancers())
                .setSpeakerEligible(e.speakerEligible())
                .setNetworkUnavailable(e.networkUnavailable())
                .setKubeVip(kv == null ? null
                        : new KubeVipFacts(kv.svcEnable(), kv.cpEnable(), kv.vipInterface(), kv.arp(), kv.pod(), kv.image()))
                .setDeleted(e.deleted())
                .build();
    }

    public static NodeFacts fromAvro(final io.vipwatch.schemas.avro.NodeFacts r) {
        final KubeVipFacts kv = r.getKubeVip();
        return new NodeFacts(r.getCluster(), r.getObservedAt(), r.getSource(), r.getEventId(), r.getNode(),
                r.getRoles(), r.getExcludedFromLoadBalancers(), r.getSpeakerEligible(), r.getNetworkUnavailable(),
                kv == null ? null
                        : new NodeFacts.KubeVip(kv.getSvcEnable(), kv.getCpEnable(), kv.getVipInterface(),
                                kv.getArp(), kv.getPod(), kv.getImage()),
                r.getDeleted());
    }

    public static io.vipwatch.schemas.avro.Heartbeat toAvro(final Heartbeat e) {
        return io.vipwatch.schemas.avro.Heartbeat.newBuilder()
                .setEventId(e.eventId()).setCluster(e.cluster()).setObservedAt(e.observedAt()).setSource(e.source())
                .setNode(e.node()).setIntervalMs(e.intervalMs())
                .build();
    }

    public static Heartbeat fromAvro(final io.vipwatch.schemas.avro.Heartbeat r) {
        return new Heartbeat(r.getCluster(), r.getObservedAt(), r.getSource(), r.getEventId(), r.getNode(),
                r.getIntervalMs());
    }

    public static io.vipwatch.schemas.avro.WireObservation toAvro(final WireObservation e) {
        return io.vipwatch.schemas.avro.WireObservation.newBuilder()
                .setEventId(e.eventId()).setCluster(e.cluster()).setObservedAt(e.observedAt()).setSource(e.source())
                .setNode(e.node()).setInterface$(e.iface()).setIp(e.ip()).setMacs(new ArrayList<>(e.macs()))
                .setWindowMs(e.windowMs())
                .build();
    }

    public static WireObservation fromAvro(final io.vipwatch.schemas.avro.WireObservation r) {
        return new WireObservation(r.getCluster(), r.getObservedAt(), r.getSource(), r.getEventId(), r.getNode(),
                r.getInterface$(), r.getIp(), r.getMacs(), r.getWindowMs());
    }

}
