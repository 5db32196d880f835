package io.vipwatch.collector.cluster;

import static io.vipwatch.collector.cluster.CollectorHarness.service;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.vipwatch.collector.testing.ClusterObjects;
import io.vipwatch.collector.testing.Fixtures;
import io.vipwatch.schemas.event.ServiceChange;
import io.vipwatch.schemas.event.ServiceChange.Op;

/** LoadBalancer Services to ServiceChange events, against the fabric8 mock API server in CRUD mode. */
@EnableKubernetesMockClient(crud = true)
class ServiceCollectionIT extends AgainstMockApiServer {

    @Test
    void watchesEveryResourceWhenMetallbCrdsAreInstalled() {
        assertThat(harness.collector.watching()).containsExactlyInAnyOrder(WatchedResource.SERVICES,
                WatchedResource.NODES, WatchedResource.PODS, WatchedResource.LEASES,
                WatchedResource.SERVICE_L2_STATUSES, WatchedResource.SERVICE_BGP_STATUSES);
    }

    @Test
    void publishesUpsertAndDeleteForLoadBalancerServicesOnly() throws Exception {
        client.services().inNamespace("default").resource(new ServiceBuilder(
                ClusterObjects.loadBalancerService("default", "internal")).editSpec().withType("ClusterIP").endSpec()
                .build()).create();
        final Service created = harness.createLoadBalancer("default", "web");
        assertThat(harness.next()).isEqualTo(service(Op.UPSERT, created, List.of()));

        final Service allocated = harness.setIngress("default", "web", "198.51.100.10");
        assertThat(harness.next()).isEqualTo(service(Op.UPSERT, allocated, List.of("198.51.100.10")));

        // a label is not carried: nothing is published for it, so the next event is the one for the type change
        client.services().inNamespace("default").withName("web").edit(s -> new ServiceBuilder(s).editMetadata()
                .addToLabels("team", "web").endMetadata().build());
        final Service clusterIp = client.services().inNamespace("default").withName("web")
                .edit(s -> new ServiceBuilder(s).editSpec().withType("ClusterIP").endSpec().build());
        assertThat(harness.next()).as("the type stops being LoadBalancer: DELETE of what was published")
                .isEqualTo(service(Op.DELETE, allocated, clusterIp, List.of("198.51.100.10"), Map.of()));

        final Service back = client.services().inNamespace("default").withName("web")
                .edit(s -> new ServiceBuilder(s).editSpec().withType("LoadBalancer").endSpec().build());
        assertThat(harness.next()).isEqualTo(service(Op.UPSERT, back, List.of("198.51.100.10")));

        client.services().inNamespace("default").withName("web").delete();
        assertThat(harness.next()).isEqualTo(service(Op.DELETE, back, List.of("198.51.100.10")));
    }

    @Test
    void carriesRequestedIpsClassPolicyAndOnlyTheRelevantAnnotations() throws Exception {
        final Service service = client.services().inNamespace("default").resource(new ServiceBuilder(
                ClusterObjects.loadBalancerService("default", "shop"))
                .editMetadata()
                .addToAnnotations("metallb.io/loadBalancerIPs", "198.51.100.30, 2001:DB8:0::30")
                .addToAnnotations("metallb.io/ip-allocated-from-pool", "pool-a")
                .addToAnnotations("kube-vip.io/loadbalancerIPs", "not-an-ip,198.51.100.30")
                .addToAnnotations("kubectl.kubernetes.io/last-applied-configuration", "{}")
                .endMetadata()
                .editSpec().withLoadBalancerIP("198.51.100.31").withLoadBalancerClass("metallb.io/metallb")
                .withExternalTrafficPolicy("Local").endSpec()
                .build()).create();

        assertThat(harness.next()).isEqualTo(new ServiceChange(CollectorHarness.CLUSTER, 0,
                CollectorHarness.SOURCE, "-", Op.UPSERT, "default", "shop", service.getMetadata().getUid(),
                service.getMetadata().getResourceVersion(), "LoadBalancer", "metallb.io/metallb", List.of(),
                List.of("198.51.100.31", "198.51.100.30", "2001:db8::30"), "Local",
                Map.of("metallb.io/loadBalancerIPs", "198.51.100.30, 2001:DB8:0::30",
                        "metallb.io/ip-allocated-from-pool", "pool-a",
                        "kube-vip.io/loadbalancerIPs", "not-an-ip,198.51.100.30")));
    }

    @Test
    void carriesTheKubeVipAnnotationOfKubeVipsExampleService() throws Exception {
        final Service example = Fixtures.load("kube-vip-v1.2.3-example-service-interface-annotation.yaml",
                Service.class);
        final Service created = client.services().inNamespace("default")
                .resource(new ServiceBuilder(example).editMetadata().withNamespace("default").endMetadata().build())
                .create();

        assertThat(harness.next()).isEqualTo(service(Op.UPSERT, created, created, List.of(),
                Map.of("kube-vip.io/serviceInterface", "ens192")));
    }
}
