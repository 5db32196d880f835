package io.vipwatch.collector.cluster;

import static io.vipwatch.collector.cluster.CollectorHarness.WAIT;
import static io.vipwatch.collector.cluster.CollectorHarness.service;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.vipwatch.collector.testing.ClusterObjects;
import io.vipwatch.schemas.event.ServiceChange;
import io.vipwatch.testkit.Poll;

/**
 * A relist or resync re-delivers every object; unchanged objects must publish nothing. Against the fabric8 mock API
 * server in CRUD mode. "Nothing" is shown by order: the re-deliveries are counted as applied, then a new Service is
 * created, and its UPSERT must be the very next event.
 */
@EnableKubernetesMockClient(crud = true)
class RelistIT {

    /** Service, ServiceL2Status, Lease, Node, kube-vip pod. */
    static final int OBJECTS = 5;

    KubernetesClient client;

    private CollectorHarness harness;

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void relistReDeliversUnchangedObjectsAndPublishesNothing() throws Exception {
        harness = CollectorHarness.start(client, true);
        createOneOfEach();

        final long applied = harness.collector.stats().changesApplied();
        harness.collector.relist().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        Poll.until("the relist's re-deliveries applied", WAIT,
                () -> harness.collector.stats().changesApplied() >= applied + OBJECTS);

        assertThat(harness.collector.stats().relists()).isEqualTo(1);
        assertNextIsAMarkerService();
    }

    @Test
    void relistPublishesADeletionThatHappenedWhileNotWatching() throws Exception {
        harness = CollectorHarness.start(client, true);
        final Service web = harness.createServiceWithIngress("default", "gone", "198.51.100.71");

        harness.collector.relist(() -> client.services().inNamespace("default").withName("gone").delete())
                .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

        assertThat(harness.next()).isEqualTo(service(ServiceChange.Op.DELETE, web, List.of("198.51.100.71")));
    }

    @Test
    void resyncPublishesNothing() throws Exception {
        harness = CollectorHarness.start(client, true, CollectorSettings.defaults(CollectorHarness.CLUSTER)
                .withHeartbeatInterval(Duration.ofMillis(200)).withResyncInterval(Duration.ofMillis(100)));
        createOneOfEach();

        final long applied = harness.collector.stats().changesApplied();
        Poll.until("three rounds of resync applied", WAIT,
                () -> harness.collector.stats().changesApplied() >= applied + 3 * OBJECTS);

        assertNextIsAMarkerService();
    }

    private void createOneOfEach() throws InterruptedException {
        harness.createServiceWithIngress("default", "web", "198.51.100.70");
        harness.createL2Status("worker-1", "default", "web", List.of("eth0"));
        client.leases().inNamespace("default").resource(KubeVipCollectionIT.lease("kubevip-web", "cp-1")).create();
        client.nodes().resource(ClusterObjects.node("cp-1", Map.of("node-role.kubernetes.io/control-plane", "")))
                .create();
        client.pods().inNamespace("kube-system").resource(ClusterObjects.kubeVipStaticPod("cp-1")).create();
        // L2 ANNOUNCE (labels), ANNOUNCE (status interfaces), KUBE_VIP ANNOUNCE, NodeFacts, NodeFacts with kube-vip
        assertThat(harness.next(5)).hasSize(5);
    }

    private void assertNextIsAMarkerService() throws InterruptedException {
        final Service marker = harness.createLoadBalancer("default", "marker");
        assertThat(harness.next()).isEqualTo(service(ServiceChange.Op.UPSERT, marker, List.of()));
        assertThat(harness.captured.drainNonHeartbeats()).isEmpty();
    }
}
