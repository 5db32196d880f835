package io.vipwatch.collector.cluster;

import java.util.Arrays;
import java.util.List;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * Every Kubernetes resource the API collector reads: the single source of truth for the informers it starts and
 * for the read-only ClusterRole in {@code deploy/kubernetes/} (a test compares the two).
 */
public enum WatchedResource {

    SERVICES("", "v1", "services", "Service", false,
            "LoadBalancer Services (service changes) and kube-vip's vipHost annotation"),
    NODES("", "v1", "nodes", "Node", false,
            "node facts (roles, exclusion label, NetworkUnavailable) and node-deletion tombstones"),
    PODS("", "v1", "pods", "Pod", false,
            "kube-vip pods (svc_enable and related env per node)"),
    EVENTS("", "v1", "events", "Event", false,
            "MetalLB speaker nodeAssigned Events (announcements where ServiceL2Status/ServiceBGPStatus are missing)"),
    LEASES("coordination.k8s.io", "v1", "leases", "Lease", false,
            "kube-vip per-service Leases kubevip-<service> (KUBE_VIP announcements)"),
    SERVICE_L2_STATUSES("metallb.io", "v1beta1", "servicel2statuses", "ServiceL2Status", true,
            "MetalLB layer 2 announcements (METALLB_L2)"),
    SERVICE_BGP_STATUSES("metallb.io", "v1beta1", "servicebgpstatuses", "ServiceBGPStatus", true,
            "MetalLB BGP announcements (METALLB_BGP)");

    private final String group;
    private final String version;
    private final String plural;
    private final String kind;
    private final boolean customResource;
    private final String feeds;

    WatchedResource(final String group, final String version, final String plural, final String kind,
            final boolean customResource, final String feeds) {
        this.group = group;
        this.version = version;
        this.plural = plural;
        this.kind = kind;
        this.customResource = customResource;
        this.feeds = feeds;
    }

    /** API group; empty for the core group. */
    public String group() {
        return group;
    }

    public String version() {
        return version;
    }

    /** The resource name RBAC rules use, e.g. {@code servicel2statuses}. */
    public String plural() {
        return plural;
    }

    public String kind() {
        return kind;
    }

    /** Served only where a CRD is installed (MetalLB 0.14 and later). */
    public boolean customResource() {
        return customResource;
    }

    /** What the collector publishes from this resource: what goes missing without it. */
    public String feeds() {
        return feeds;
    }

    /** {@code group/version}, or just the version for the core group. */
    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** e.g. {@code servicel2statuses.metallb.io}, {@code services}. */
    public String qualifiedName() {
        return group.isEmpty() ? plural : plural + "." + group;
    }

    ResourceDefinitionContext context() {
        return new ResourceDefinitionContext.Builder()
                .withGroup(group).withVersion(version).withPlural(plural).withKind(kind).withNamespaced(this != NODES)
                .build();
    }

    /** The verbs the collector uses on every resource: reading only. */
    public static List<String> verbs() {
        return List.of("get", "list", "watch");
    }

    public static List<WatchedResource> all() {
        return Arrays.asList(values());
    }
}
