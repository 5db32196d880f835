package io.vipwatch.collector.cluster;

import static io.vipwatch.collector.cluster.CollectorHarness.announcement;
import static io.vipwatch.collector.cluster.CollectorHarness.service;
import static io.vipwatch.collector.testing.ClusterObjects.BGP_CRD;
import static io.vipwatch.collector.testing.ClusterObjects.METALLB_NAMESPACE;
import static io.vipwatch.schemas.event.AnnouncementChange.Op.ANNOUNCE;
import static io.vipwatch.schemas.event.AnnouncementChange.Op.WITHDRAW;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.vipwatch.collector.testing.ClusterObjects;
import io.vipwatch.schemas.event.AnnouncementChange.Announcer;
import io.vipwatch.schemas.event.AnnouncementChange.Evidence;
import io.vipwatch.schemas.event.ServiceChange;

/**
 * MetalLB's ServiceL2Status and ServiceBGPStatus objects (real v0.16.1 CRDs loaded into the fabric8 mock API server
 * in CRUD mode) to announcements.
 */
@EnableKubernetesMockClient(crud = true)
class MetalLbAnnouncementIT extends AgainstMockApiServer {

    @Test
    void announcesL2StatusAndFollowsAFailoverThatDeletesAndRecreatesTheObject() throws Exception {
        harness.createServiceWithIngress("default", "web", "198.51.100.20");
        final GenericKubernetesResource first = harness.createL2Status("worker-1", "default", "web", List.of("eth0"));
        final String firstRef = METALLB_NAMESPACE + "/" + first.getMetadata().getName();
        assertThat(harness.next()).as("the speaker creates the object: the labels name node and Service")
                .isEqualTo(announcement(ANNOUNCE, "web", Announcer.METALLB_L2, "worker-1", List.of(),
                        new Evidence("SERVICE_L2_STATUS", firstRef, null)));
        assertThat(harness.next()).as("then writes its status, naming the interface")
                .isEqualTo(announcement(ANNOUNCE, "web", Announcer.METALLB_L2, "worker-1", List.of("eth0"),
                        new Evidence("SERVICE_L2_STATUS", firstRef, null)));

        harness.l2Statuses().withName(first.getMetadata().getName()).delete();
        assertThat(harness.next()).isEqualTo(announcement(WITHDRAW, "web", Announcer.METALLB_L2, "worker-1",
                List.of("eth0"), new Evidence("SERVICE_L2_STATUS", firstRef, "ServiceL2Status deleted")));

        final GenericKubernetesResource second = harness.createL2Status("worker-2", "default", "web", List.of("eth1"));
        final String secondRef = METALLB_NAMESPACE + "/" + second.getMetadata().getName();
        assertThat(second.getMetadata().getName()).startsWith("l2-").isNotEqualTo(first.getMetadata().getName());
        assertThat(harness.next()).isEqualTo(announcement(ANNOUNCE, "web", Announcer.METALLB_L2, "worker-2",
                List.of(), new Evidence("SERVICE_L2_STATUS", secondRef, null)));
        assertThat(harness.next()).isEqualTo(announcement(ANNOUNCE, "web", Announcer.METALLB_L2, "worker-2",
                List.of("eth1"), new Evidence("SERVICE_L2_STATUS", secondRef, null)));
    }

    @Test
    void recreatingTheObjectOnTheSameNodeWithdrawsNothing() throws Exception {
        harness.createServiceWithIngress("default", "web", "198.51.100.21");
        final GenericKubernetesResource first = harness.createL2Status("worker-1", "default", "web", List.of("eth0"));
        harness.next();
        harness.next();

        // the new object first, the old one deleted after: worker-1 never stopped announcing
        harness.createL2Status("worker-1", "default", "web", List.of("eth0"));
        harness.l2Statuses().withName(first.getMetadata().getName()).delete();
        final Service deleted = client.services().inNamespace("default").withName("web").get();
        client.services().inNamespace("default").withName("web").delete();

        assertThat(harness.next()).as("nothing between the re-creation and the Service's deletion")
                .isEqualTo(service(ServiceChange.Op.DELETE, deleted, List.of("198.51.100.21")));
        assertThat(harness.next()).isEqualTo(announcement(WITHDRAW, "web", Announcer.METALLB_L2, "worker-1",
                List.of("eth0"), new Evidence("OTHER", "default/web", "Service deleted")));
    }

    @Test
    void holdsAnnouncementsForAServiceUntilTheServiceIsSeen() throws Exception {
        final GenericKubernetesResource[] status = new GenericKubernetesResource[1];
        harness.applyAndAwait(2, () -> status[0] = harness.createL2Status("worker-3", "default", "late",
                List.of("eth0")));
        final Service service = harness.createLoadBalancer("default", "late");

        assertThat(harness.next()).isEqualTo(service(ServiceChange.Op.UPSERT, service, List.of()));
        assertThat(harness.next()).isEqualTo(announcement(ANNOUNCE, "late", Announcer.METALLB_L2, "worker-3",
                List.of("eth0"), new Evidence("SERVICE_L2_STATUS",
                        METALLB_NAMESPACE + "/" + status[0].getMetadata().getName(), null)));
    }

    @Test
    void announcesEveryNodeOfAServiceBgpStatus() throws Exception {
        harness.createServiceWithIngress("default", "bgp-web", "203.0.113.40");
        final GenericKubernetesResource one = harness.bgpStatuses()
                .resource(ClusterObjects.metallbStatus(BGP_CRD, "worker-1", "default", "bgp-web")).create();
        final GenericKubernetesResource two = harness.bgpStatuses()
                .resource(ClusterObjects.metallbStatus(BGP_CRD, "worker-2", "default", "bgp-web")).create();

        assertThat(harness.next()).isEqualTo(announcement(ANNOUNCE, "bgp-web", Announcer.METALLB_BGP, "worker-1",
                List.of(), new Evidence("SERVICE_BGP_STATUS", METALLB_NAMESPACE + "/" + one.getMetadata().getName(),
                        null)));
        assertThat(harness.next()).isEqualTo(announcement(ANNOUNCE, "bgp-web", Announcer.METALLB_BGP, "worker-2",
                List.of(), new Evidence("SERVICE_BGP_STATUS", METALLB_NAMESPACE + "/" + two.getMetadata().getName(),
                        null)));

        harness.bgpStatuses().withName(one.getMetadata().getName()).editStatus(s -> {
            s.setAdditionalProperty("status", Map.of("node", "worker-1", "serviceName", "bgp-web",
                    "serviceNamespace", "default", "peers", List.of("tor-a", "tor-b")));
            return s;
        });
        harness.bgpStatuses().withName(two.getMetadata().getName()).delete();
        assertThat(harness.next()).as("a status update naming peers changes no carried field")
                .isEqualTo(announcement(WITHDRAW, "bgp-web", Announcer.METALLB_BGP, "worker-2", List.of(),
                        new Evidence("SERVICE_BGP_STATUS", METALLB_NAMESPACE + "/" + two.getMetadata().getName(),
                                "ServiceBGPStatus deleted")));
    }
}
