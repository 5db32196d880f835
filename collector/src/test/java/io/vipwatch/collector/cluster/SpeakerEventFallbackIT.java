package io.vipwatch.collector.cluster;

import static io.vipwatch.collector.cluster.CollectorHarness.announcement;
import static io.vipwatch.collector.cluster.CollectorHarness.service;
import static io.vipwatch.schemas.event.AnnouncementChange.Op.ANNOUNCE;
import static io.vipwatch.schemas.event.AnnouncementChange.Op.WITHDRAW;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.vipwatch.collector.cluster.ResourceProbe.Availability;
import io.vipwatch.schemas.event.AnnouncementChange.Announcer;
import io.vipwatch.schemas.event.AnnouncementChange.Evidence;
import io.vipwatch.schemas.event.ServiceChange;

/**
 * A MetalLB without the ServiceL2Status / ServiceBGPStatus CRDs (older than 0.14): announcements come from the
 * speaker's nodeAssigned Events. Runs against the fabric8 mock API server in CRUD mode without those CRDs; the mock
 * cannot filter Events by {@code reason}, so the collector runs without its server-side field selector here.
 */
@EnableKubernetesMockClient(crud = true)
class SpeakerEventFallbackIT {

    static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    KubernetesClient client;

    private CollectorHarness harness;

    @BeforeEach
    void start() {
        harness = CollectorHarness.start(client, false, CollectorSettings.defaults(CollectorHarness.CLUSTER)
                .withHeartbeatInterval(Duration.ofMillis(200)).withEventFieldSelector(""));
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void reportsTheMissingCrdsAndWatchesEventsInstead() {
        final Availability l2 = harness.collector.availability().get(WatchedResource.SERVICE_L2_STATUSES);
        assertThat(l2.status()).isEqualTo(Availability.Status.NOT_SERVED);
        assertThat(l2.describe()).isEqualTo("ServiceL2Status (servicel2statuses.metallb.io) is not served by this "
                + "API server (no CRD servicel2statuses.metallb.io): no MetalLB layer 2 announcements (METALLB_L2)");
        assertThat(harness.collector.availability().get(WatchedResource.SERVICE_BGP_STATUSES).status())
                .isEqualTo(Availability.Status.NOT_SERVED);
        assertThat(harness.collector.watching()).contains(WatchedResource.EVENTS)
                .doesNotContain(WatchedResource.SERVICE_L2_STATUSES, WatchedResource.SERVICE_BGP_STATUSES);
    }

    @Test
    void followsLayer2FailoverAndFailbackThroughNodeAssignedEvents() throws Exception {
        final Service web = harness.createServiceWithIngress("default", "web", "198.51.100.60");

        // an older speaker: no protocol in the message, read as layer 2
        create(nodeAssigned(web, "web.1", "announcing from node \"worker-1\"", 1, T0));
        assertThat(harness.next()).isEqualTo(announcement(ANNOUNCE, "web", Announcer.METALLB_L2, "worker-1",
                List.of(), new Evidence("EVENT", "default/web.1", "announcing from node \"worker-1\" (count 1)")));

        create(nodeAssigned(web, "web.2", "announcing from node \"worker-2\" with protocol \"layer2\"", 1,
                T0.plusSeconds(5)));
        final Evidence second = new Evidence("EVENT", "default/web.2",
                "announcing from node \"worker-2\" with protocol \"layer2\" (count 1)");
        assertThat(harness.next()).isEqualTo(announcement(WITHDRAW, "web", Announcer.METALLB_L2, "worker-1",
                List.of(), second));
        assertThat(harness.next()).isEqualTo(announcement(ANNOUNCE, "web", Announcer.METALLB_L2, "worker-2",
                List.of(), second));

        // failback: the Event recorder bumps count and lastTimestamp of worker-1's existing Event
        client.v1().events().inNamespace("default").withName("web.1").edit(e -> new EventBuilder(e)
                .withCount(2).withLastTimestamp(T0.plusSeconds(10).toString()).build());
        final Evidence bumped = new Evidence("EVENT", "default/web.1", "announcing from node \"worker-1\" (count 2)");
        assertThat(harness.next()).isEqualTo(announcement(WITHDRAW, "web", Announcer.METALLB_L2, "worker-2",
                List.of(), bumped));
        assertThat(harness.next()).isEqualTo(announcement(ANNOUNCE, "web", Announcer.METALLB_L2, "worker-1",
                List.of(), bumped));

        // Events expire by TTL while the speaker keeps announcing: a deleted Event withdraws nothing
        harness.applyAndAwait(1, () -> client.v1().events().inNamespace("default").withName("web.1").delete());
        client.services().inNamespace("default").withName("web").delete();
        assertThat(harness.next()).isEqualTo(service(ServiceChange.Op.DELETE, web, List.of("198.51.100.60")));
        assertThat(harness.next()).isEqualTo(announcement(WITHDRAW, "web", Announcer.METALLB_L2, "worker-1",
                List.of(), new Evidence("OTHER", "default/web", "Service deleted")));
    }

    @Test
    void announcesEveryBgpNodeAndIgnoresOtherEvents() throws Exception {
        final Service web = harness.createServiceWithIngress("default", "bgp-web", "203.0.113.60");
        create(new EventBuilder(nodeAssigned(web, "bgp-web.0", "Assigned IP [\"203.0.113.60\"]", 1, T0))
                .withReason("IPAllocated").build());
        create(nodeAssigned(web, "bgp-web.1", "announcing from node \"worker-1\" with protocol \"bgp\"", 1, T0));
        create(nodeAssigned(web, "bgp-web.2", "announcing from node \"worker-2\" with protocol \"bgp\"", 1, T0));

        assertThat(harness.next(2)).containsExactly(
                announcement(ANNOUNCE, "bgp-web", Announcer.METALLB_BGP, "worker-1", List.of(), new Evidence("EVENT",
                        "default/bgp-web.1", "announcing from node \"worker-1\" with protocol \"bgp\" (count 1)")),
                announcement(ANNOUNCE, "bgp-web", Announcer.METALLB_BGP, "worker-2", List.of(), new Evidence("EVENT",
                        "default/bgp-web.2", "announcing from node \"worker-2\" with protocol \"bgp\" (count 1)")));
    }

    private void create(final Event event) {
        client.v1().events().inNamespace(event.getMetadata().getNamespace()).resource(event).create();
    }

    /** An Event as MetalLB's speaker records it on the Service it announces. */
    static Event nodeAssigned(final Service service, final String name, final String message, final int count,
            final Instant last) {
        return new EventBuilder()
                .withNewMetadata().withNamespace(service.getMetadata().getNamespace()).withName(name).endMetadata()
                .withNewInvolvedObject().withApiVersion("v1").withKind("Service")
                .withNamespace(service.getMetadata().getNamespace()).withName(service.getMetadata().getName())
                .withUid(service.getMetadata().getUid()).endInvolvedObject()
                .withReason("nodeAssigned").withMessage(message).withType("Normal")
                .withNewSource().withComponent("metallb-speaker").endSource()
                .withCount(count).withFirstTimestamp(T0.toString()).withLastTimestamp(last.toString())
                .build();
    }
}
