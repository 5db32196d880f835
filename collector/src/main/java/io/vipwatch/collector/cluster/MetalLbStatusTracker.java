package io.vipwatch.collector.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.vipwatch.collector.cluster.AnnouncementLedger.Claim;
import io.vipwatch.collector.cluster.AnnouncementLedger.Speaker;
import io.vipwatch.schemas.event.AnnouncementChange.Announcer;
import io.vipwatch.schemas.event.AnnouncementChange.Evidence;

/**
 * MetalLB's ServiceL2Status / ServiceBGPStatus objects ({@code metallb.io/v1beta1}) to announcement claims. The
 * speaker creates one per Service and node it announces from, in MetalLB's namespace with {@code generateName},
 * and deletes it when it stops; on failover the object is deleted and a new one is created under a new name.
 * The node and Service come from the labels {@code metallb.io/node}, {@code metallb.io/service-name} and
 * {@code metallb.io/service-namespace}, falling back to {@code status.node}, {@code status.serviceName} and
 * {@code status.serviceNamespace} (the speaker sets the labels at creation, the status just after).
 */
final class MetalLbStatusTracker {

    static final String NODE_LABEL = "metallb.io/node";
    static final String SERVICE_NAME_LABEL = "metallb.io/service-name";
    static final String SERVICE_NAMESPACE_LABEL = "metallb.io/service-namespace";

    private static final Logger LOG = LoggerFactory.getLogger(MetalLbStatusTracker.class);

    private final WatchedResource resource;
    private final Announcer announcer;
    private final String evidenceKind;
    private final AnnouncementLedger ledger;

    // status object ns/name -> the speaker it claims
    private final Map<String, Speaker> claimed = new HashMap<>();
    // status object ns/name already reported as unusable, so a resync does not log it again
    private final Set<String> reported = new HashSet<>();

    MetalLbStatusTracker(final WatchedResource resource, final AnnouncementLedger ledger) {
        if (resource != WatchedResource.SERVICE_L2_STATUSES && resource != WatchedResource.SERVICE_BGP_STATUSES) {
            throw new IllegalArgumentException("not a MetalLB status resource: " + resource);
        }
        this.resource = resource;
        this.announcer = resource == WatchedResource.SERVICE_L2_STATUSES ? Announcer.METALLB_L2 : Announcer.METALLB_BGP;
        this.evidenceKind = resource == WatchedResource.SERVICE_L2_STATUSES ? "SERVICE_L2_STATUS" : "SERVICE_BGP_STATUS";
        this.ledger = ledger;
    }

    void upsert(final GenericKubernetesResource status) {
        final String key = Meta.key(status);
        final Map<String, String> labels = Meta.labels(status);
        final String node = firstNonBlank(labels.get(NODE_LABEL), text(status, "status", "node"));
        final String name = firstNonBlank(labels.get(SERVICE_NAME_LABEL), text(status, "status", "serviceName"));
        final String namespace = firstNonBlank(labels.get(SERVICE_NAMESPACE_LABEL),
                text(status, "status", "serviceNamespace"));
        if (node == null || name == null || namespace == null) {
            if (reported.add(key)) {
                LOG.warn("{} {} names no {} (labels {}, {}, {} or status.node/serviceName/serviceNamespace): skipped",
                        resource.kind(), key, node == null ? "node" : "Service", NODE_LABEL, SERVICE_NAME_LABEL,
                        SERVICE_NAMESPACE_LABEL);
            }
            releaseClaim(key, "no node or Service named");
            return;
        }
        reported.remove(key);
        final Speaker speaker = new Speaker(namespace + "/" + name, announcer, node);
        final Speaker before = claimed.put(key, speaker);
        final Evidence evidence = new Evidence(evidenceKind, key, detail(status));
        if (before != null && !before.equals(speaker)) {
            ledger.release(before, claimId(key), evidence);
        }
        ledger.claim(speaker, claimId(key), new Claim(evidence, interfaces(status)));
    }

    void delete(final GenericKubernetesResource status) {
        final String key = Meta.key(status);
        releaseClaim(key, resource.kind() + " deleted");
        reported.remove(key);
    }

    private void releaseClaim(final String key, final String why) {
        final Speaker before = claimed.remove(key);
        if (before != null) {
            ledger.release(before, claimId(key), new Evidence(evidenceKind, key, why));
        }
    }

    private String claimId(final String key) {
        return evidenceKind + " " + key;
    }

    private String detail(final GenericKubernetesResource status) {
        if (resource != WatchedResource.SERVICE_BGP_STATUSES) {
            return null;
        }
        final Object peers = status.get("status", "peers");
        return peers instanceof List<?> list && !list.isEmpty() ? "peers " + String.join(",", strings(list)) : null;
    }

    private static List<String> interfaces(final GenericKubernetesResource status) {
        final Object list = status.get("status", "interfaces");
        final List<String> names = new ArrayList<>();
        if (list instanceof List<?> items) {
            for (final Object item : items) {
                if (item instanceof Map<?, ?> map && map.get("name") instanceof String name && !name.isBlank()) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    private static List<String> strings(final List<?> list) {
        final List<String> out = new ArrayList<>();
        for (final Object item : list) {
            if (item != null) {
                out.add(item.toString());
            }
        }
        return out;
    }

    private static String text(final GenericKubernetesResource object, final Object... path) {
        final Object value = object.get(path);
        return value instanceof String s ? s : null;
    }

    private static String firstNonBlank(final String a, final String b) {
        if (!Meta.isBlank(a)) {
            return a.trim();
        }
        return Meta.isBlank(b) ? null : b.trim();
    }
}
