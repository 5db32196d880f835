package io.vipwatch.collector.cluster;

import static io.vipwatch.collector.cluster.CollectorHarness.CLUSTER;
import static io.vipwatch.collector.cluster.CollectorHarness.SOURCE;
import static io.vipwatch.collector.cluster.CollectorHarness.announcement;
import static io.vipwatch.collector.cluster.CollectorHarness.service;
import static io.vipwatch.schemas.event.AnnouncementChange.Op.ANNOUNCE;
import static io.vipwatch.schemas.event.AnnouncementChange.Op.WITHDRAW;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.vipwatch.collector.testing.ClusterObjects;
import io.vipwatch.schemas.event.AnnouncementChange.Announcer;
import io.vipwatch.schemas.event.AnnouncementChange.Evidence;
import io.vipwatch.schemas.event.NodeAddresses;
import io.vipwatch.schemas.event.NodeFacts;
import io.vipwatch.schemas.event.NodeFacts.KubeVip;
import io.vipwatch.schemas.event.ServiceChange;

/**
 * kube-vip's Leases, vipHost annotation and pods, and Nodes, against the fabric8 mock API server in CRUD mode; pods
 * are built from kube-vip's published manifests.
 */
@EnableKubernetesMockClient(crud = true)
class KubeVipCollectionIT extends AgainstMockApiServer {

    static final String STATIC_POD_IMAGE = "ghcr.io/kube-vip/kube-vip:v0.4.0";

    @Test
    void announcesTheLeaseHolderAndTheVipHostAnnotationOncePerNode() throws Exception {
        harness.createServiceWithIngress("default", "web", "198.51.100.50");

        client.leases().inNamespace("default").resource(lease("kubevip-web", "cp-1")).create();
        assertThat(harness.next()).isEqualTo(announcement(ANNOUNCE, "web", Announcer.KUBE_VIP, "cp-1", List.of(),
                new Evidence("LEASE", "default/kubevip-web", "holderIdentity=cp-1")));

        // a renewal and kube-vip's own locks publish nothing; the annotation naming the same node adds no ANNOUNCE
        client.leases().inNamespace("default").withName("kubevip-web")
                .edit(l -> new LeaseBuilder(l).editSpec().withRenewTime(ZonedDateTime.now()).endSpec().build());
        client.leases().inNamespace("kube-system").resource(lease("plndr-svcs-lock", "cp-3")).create();
        final Service annotated = annotateVipHost("web", "cp-1");
        assertThat(harness.next()).isEqualTo(service(ServiceChange.Op.UPSERT, annotated, annotated,
                List.of("198.51.100.50"), Map.of("kube-vip.io/vipHost", "cp-1")));

        client.leases().inNamespace("default").withName("kubevip-web")
                .edit(l -> new LeaseBuilder(l).editSpec().withHolderIdentity("cp-2").endSpec().build());
        assertThat(harness.next()).as("cp-1 is still named by the annotation: no WITHDRAW yet")
                .isEqualTo(announcement(ANNOUNCE, "web", Announcer.KUBE_VIP, "cp-2", List.of(),
                        new Evidence("LEASE", "default/kubevip-web", "holderIdentity=cp-2")));

        final Service moved = annotateVipHost("web", "cp-2");
        assertThat(harness.next()).isEqualTo(service(ServiceChange.Op.UPSERT, moved, moved,
                List.of("198.51.100.50"), Map.of("kube-vip.io/vipHost", "cp-2")));
        assertThat(harness.next()).isEqualTo(announcement(WITHDRAW, "web", Announcer.KUBE_VIP, "cp-1", List.of(),
                new Evidence("ANNOTATION", "default/web", "kube-vip.io/vipHost=cp-2")));

        harness.applyAndAwait(1, () -> client.leases().inNamespace("default").withName("kubevip-web").delete());
        client.services().inNamespace("default").withName("web").delete();
        assertThat(harness.next()).as("the deleted Lease withdrew nothing: the annotation still names cp-2")
                .isEqualTo(service(ServiceChange.Op.DELETE, moved, moved, List.of("198.51.100.50"),
                        Map.of("kube-vip.io/vipHost", "cp-2")));
        assertThat(harness.next()).isEqualTo(announcement(WITHDRAW, "web", Announcer.KUBE_VIP, "cp-2", List.of(),
                new Evidence("OTHER", "default/web", "Service deleted")));
    }

    @Test
    void publishesNodeFactsWithKubeVipFromStaticAndDaemonSetPods() throws Exception {
        client.nodes().resource(ClusterObjects.node("cp-1", Map.of("node-role.kubernetes.io/control-plane", "",
                "node.kubernetes.io/exclude-from-external-load-balancers", ""))).create();
        assertThat(harness.next()).isEqualTo(facts("cp-1", List.of("control-plane"), true, false, null));

        client.pods().inNamespace("kube-system").resource(ClusterObjects.kubeVipStaticPod("cp-1")).create();
        assertThat(harness.next()).as("kube-vip's documented static pod: services on, ARP, ens192")
                .isEqualTo(facts("cp-1", List.of("control-plane"), true, false,
                        new KubeVip(true, true, "ens192", true, "kube-system/kube-vip-cp-1", STATIC_POD_IMAGE)));

        client.nodes().resource(ClusterObjects.node("worker-1", Map.of())).create();
        assertThat(harness.next()).isEqualTo(facts("worker-1", List.of(), false, false, null));
        client.pods().inNamespace("kube-system").resource(ClusterObjects.kubeVipDaemonSetPod(
                "kube-vip-v1.2.3-testing-kind-daemonset-services-arp.yaml", "worker-1", "x7k2p")).create();
        assertThat(harness.next()).as("kube-vip's services-only DaemonSet: no cp_enable")
                .isEqualTo(facts("worker-1", List.of(), false, false, new KubeVip(true, null, "eth0", true,
                        "kube-system/kube-vip-ds-x7k2p", "ghcr.io/kube-vip/kube-vip")));

        // the fix: svc_enable "false" in the static pod manifest; the kubelet re-creates the mirror pod
        client.pods().inNamespace("kube-system").withName("kube-vip-cp-1").delete();
        assertThat(harness.next()).isEqualTo(facts("cp-1", List.of("control-plane"), true, false, null));
        client.pods().inNamespace("kube-system").resource(new PodBuilder(ClusterObjects.kubeVipStaticPod("cp-1"))
                .editSpec().editFirstContainer().editMatchingEnv(e -> e.getName().equals("svc_enable"))
                .withValue("false").endEnv().endContainer().endSpec().build()).create();
        client.pods().inNamespace("kube-system").resource(new PodBuilder().withNewMetadata().withName("coredns-1")
                .endMetadata().withNewSpec().withNodeName("cp-1").addNewContainer().withName("coredns")
                .withImage("registry.k8s.io/coredns/coredns:v1.11.1").endContainer().endSpec().build()).create();
        assertThat(harness.next()).isEqualTo(facts("cp-1", List.of("control-plane"), true, false,
                new KubeVip(false, true, "ens192", true, "kube-system/kube-vip-cp-1", STATIC_POD_IMAGE)));

        client.nodes().withName("worker-1").editStatus(n -> new NodeBuilder(n).editStatus().addNewCondition()
                .withType("NetworkUnavailable").withStatus("True").endCondition().endStatus().build());
        assertThat(harness.next()).isEqualTo(facts("worker-1", List.of(), false, true, new KubeVip(true, null, "eth0",
                true, "kube-system/kube-vip-ds-x7k2p", "ghcr.io/kube-vip/kube-vip")));

        client.nodes().withName("worker-1").delete();
        assertThat(harness.next()).as("a deleted Node: the tombstone, a node-addresses line marked deleted")
                .isEqualTo(new NodeAddresses(CLUSTER, 0, SOURCE, "-", "worker-1", List.of(), true));
    }

    private Service annotateVipHost(final String name, final String node) {
        return client.services().inNamespace("default").withName(name).edit(s -> new ServiceBuilder(s)
                .editMetadata().addToAnnotations("kube-vip.io/vipHost", node).endMetadata().build());
    }

    static Lease lease(final String name, final String holder) {
        return new LeaseBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec()
                .withHolderIdentity(holder).withLeaseDurationSeconds(5).withRenewTime(ZonedDateTime.now())
                .endSpec().build();
    }

    static NodeFacts facts(final String node, final List<String> roles, final boolean excluded,
            final boolean networkUnavailable, final KubeVip kubeVip) {
        return new NodeFacts(CLUSTER, 0, SOURCE, "-", node, roles, excluded, null, networkUnavailable, kubeVip,
                false);
    }
}
