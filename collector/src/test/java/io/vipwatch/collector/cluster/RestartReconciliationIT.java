package io.vipwatch.collector.cluster;

import static io.vipwatch.collector.cluster.CollectorHarness.WAIT;
import static io.vipwatch.collector.testing.CapturedEvents.describe;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.vipwatch.collector.publish.PublishedState;
import io.vipwatch.collector.publish.StateFile;
import io.vipwatch.collector.testing.CapturedEvents;
import io.vipwatch.collector.testing.ClusterObjects;
import io.vipwatch.schemas.event.Heartbeat;
import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.schemas.event.ServiceChange;
import io.vipwatch.schemas.recording.RecordingCodec;

/**
 * A collector that restarts publishes exactly what it would have published had it watched the whole time: the
 * DELETEs, WITHDRAWs and node tombstones of what vanished while it was down, the UPSERTs and ANNOUNCEs of what
 * appeared, deletions first, and nothing for what is unchanged. Its memory here is a state file, as with
 * {@code collect --output FILE --state-file FILE}; against the fabric8 mock API server in CRUD mode (the accepted
 * stand-in for a Kubernetes API server), the cluster changed by the test while no collector runs.
 */
@EnableKubernetesMockClient(crud = true)
class RestartReconciliationIT {

    KubernetesClient client;

    @TempDir
    Path dir;

    private CollectorHarness harness;

    @AfterEach
    void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void aRestartPublishesTheChangesOfItsAbsenceDeletionsFirstAndNothingForWhatIsUnchanged() throws Exception {
        final StateFile memory = new StateFile(dir.resolve("c1.state.jsonl"), CollectorHarness.CLUSTER);
        harness = CollectorHarness.start(client, true, config(), memory);
        for (final String node : List.of("worker-1", "worker-2", "worker-3")) {
            client.nodes().resource(ClusterObjects.node(node, Map.of())).create();
        }
        assertThat(harness.next(3)).extracting(CapturedEvents::describe)
                .containsExactlyInAnyOrder("facts worker-1", "facts worker-2", "facts worker-3");
        int ip = 80;
        for (final String name : List.of("kept", "gone", "moved", "reuse-old")) {
            harness.createServiceWithIngress("default", name, "198.51.100." + ip++);
            harness.createL2Status("worker-1", "default", name, List.of());
            assertThat(describe(harness.next())).isEqualTo("ANNOUNCE default/" + name + " METALLB_L2 worker-1");
        }
        harness.createServiceWithIngress("default", "kv", "198.51.100.84");
        client.leases().inNamespace("default").resource(KubeVipCollectionIT.lease("kubevip-kv", "cp-1")).create();
        assertThat(describe(harness.next())).isEqualTo("ANNOUNCE default/kv KUBE_VIP cp-1");
        harness.close();
        assertThat(memory.load()).extracting(PublishedState::identity).as("remembered").hasSize(3 + 5 + 5);

        // while no collector runs: a Service deleted, a failover by delete and re-create of the status object,
        // a freed IP taken by a new Service on another node, a kube-vip Lease deleted, a Node deleted
        deleteService("gone");
        deleteL2Status("moved");
        harness.createL2Status("worker-2", "default", "moved", List.of());
        deleteService("reuse-old");
        harness.createLoadBalancer("default", "reuse-new");
        harness.setIngress("default", "reuse-new", "198.51.100.83");
        harness.createL2Status("worker-2", "default", "reuse-new", List.of());
        client.leases().inNamespace("default").withName("kubevip-kv").delete();
        client.nodes().withName("worker-3").delete();

        harness = CollectorHarness.restart(client, config(), memory);
        final List<InputEvent> after = harness.next(10);

        assertThat(after.subList(0, 7)).extracting(CapturedEvents::describe).as("deletions first").containsExactly(
                "DELETE default/gone [198.51.100.81]",
                "WITHDRAW default/gone METALLB_L2 worker-1",
                "DELETE default/reuse-old [198.51.100.83]",
                "WITHDRAW default/reuse-old METALLB_L2 worker-1",
                "WITHDRAW default/kv KUBE_VIP cp-1",
                "WITHDRAW default/moved METALLB_L2 worker-1",
                "tombstone worker-3");
        final List<String> appeared = after.subList(7, 10).stream().map(CapturedEvents::describe).toList();
        assertThat(appeared).containsExactlyInAnyOrder(
                "UPSERT default/reuse-new [198.51.100.83]",
                "ANNOUNCE default/reuse-new METALLB_L2 worker-2",
                "ANNOUNCE default/moved METALLB_L2 worker-2");
        assertThat(appeared.indexOf("UPSERT default/reuse-new [198.51.100.83]")).as("a Service before its speaker")
                .isLessThan(appeared.indexOf("ANNOUNCE default/reuse-new METALLB_L2 worker-2"));
        assertNextIsAMarkerService("nothing for kept, worker-1 and worker-2, which did not change");
        assertThat(harness.captured.lines().stream().map(line -> RecordingCodec.parse(line).observedAt()).toList())
                .as("the recording stays in time order").isSorted();
    }

    @Test
    void aRestartWithoutChangesPublishesNothingButHeartbeats() throws Exception {
        final StateFile memory = new StateFile(dir.resolve("c1.state.jsonl"), CollectorHarness.CLUSTER);
        harness = CollectorHarness.start(client, true, config(), memory);
        client.nodes().resource(ClusterObjects.node("worker-1", Map.of())).create();
        harness.next();
        harness.createServiceWithIngress("default", "web", "198.51.100.90");
        harness.createL2Status("worker-1", "default", "web", List.of("eth0"));
        harness.next(2);
        harness.close();

        harness = CollectorHarness.restart(client, config(), memory);

        harness.captured.nextMatching(Heartbeat.class::isInstance, WAIT);
        assertNextIsAMarkerService("the restart published nothing before its heartbeat");
    }

    @Test
    void anAnnouncementReadFromAnExpiredEventSurvivesARestartUntilItsServiceGoes() throws Exception {
        final StateFile memory = new StateFile(dir.resolve("c1.state.jsonl"), CollectorHarness.CLUSTER);
        final CollectorSettings config = config().withEventFieldSelector(""); // the mock cannot filter Events
        harness = CollectorHarness.start(client, false, config, memory);
        final Service web = harness.createServiceWithIngress("default", "web", "198.51.100.60");
        createEvent(SpeakerEventFallbackIT.nodeAssigned(web, "web.1", "announcing from node \"worker-1\"", 1,
                SpeakerEventFallbackIT.T0));
        assertThat(describe(harness.next())).isEqualTo("ANNOUNCE default/web METALLB_L2 worker-1");
        final Service api = harness.createServiceWithIngress("default", "api", "198.51.100.61");
        createEvent(SpeakerEventFallbackIT.nodeAssigned(api, "api.1", "announcing from node \"worker-1\"", 1,
                SpeakerEventFallbackIT.T0));
        assertThat(describe(harness.next())).isEqualTo("ANNOUNCE default/api METALLB_L2 worker-1");
        harness.close();

        // web's Event expires (the speaker keeps announcing); api fails over to worker-2
        client.v1().events().inNamespace("default").withName("web.1").delete();
        createEvent(SpeakerEventFallbackIT.nodeAssigned(api, "api.2", "announcing from node \"worker-2\"", 1,
                SpeakerEventFallbackIT.T0.plusSeconds(5)));

        harness = CollectorHarness.restart(client, config, memory);
        assertThat(harness.next(2)).extracting(CapturedEvents::describe).containsExactly(
                "WITHDRAW default/api METALLB_L2 worker-1", "ANNOUNCE default/api METALLB_L2 worker-2");

        client.services().inNamespace("default").withName("web").delete();
        assertThat(harness.next(2)).extracting(CapturedEvents::describe).as("the remembered speaker goes with it")
                .containsExactly("DELETE default/web [198.51.100.60]", "WITHDRAW default/web METALLB_L2 worker-1");
    }

    private static CollectorSettings config() {
        return CollectorSettings.defaults(CollectorHarness.CLUSTER).withHeartbeatInterval(Duration.ofMillis(200));
    }

    private void deleteService(final String name) {
        client.services().inNamespace("default").withName(name).delete();
        deleteL2Status(name);
    }

    /** What MetalLB's speaker does when it stops announcing a Service: delete its status object. */
    private void deleteL2Status(final String service) {
        harness.l2Statuses().withLabel(MetalLbStatusTracker.SERVICE_NAME_LABEL, service).delete();
    }

    private void createEvent(final Event event) {
        client.v1().events().inNamespace("default").resource(event).create();
    }

    private void assertNextIsAMarkerService(final String why) throws InterruptedException {
        final Service marker = harness.createLoadBalancer("default", "marker");
        assertThat(harness.next()).as(why)
                .isEqualTo(CollectorHarness.service(ServiceChange.Op.UPSERT, marker, List.of()));
        assertThat(harness.captured.drainNonHeartbeats()).isEmpty();
    }
}
