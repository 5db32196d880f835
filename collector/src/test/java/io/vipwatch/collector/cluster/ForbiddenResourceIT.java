package io.vipwatch.collector.cluster;

import static io.vipwatch.collector.cluster.CollectorHarness.service;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.HttpURLConnection;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.vipwatch.collector.cluster.ResourceProbe.Availability;
import io.vipwatch.schemas.event.ServiceChange;

/**
 * A service account that may not list pods in kube-system: reported once at start with what it disables, and
 * everything else still collected. The fabric8 mock API server (CRUD mode) answers that one request with 403.
 */
@EnableKubernetesMockClient(crud = true)
class ForbiddenResourceIT {

    KubernetesMockServer server;
    KubernetesClient client;

    private CollectorHarness harness;

    @BeforeEach
    void start() {
        server.expect().get().withPath("/api/v1/namespaces/kube-system/pods?limit=1")
                .andReturn(HttpURLConnection.HTTP_FORBIDDEN, new StatusBuilder().withCode(403).withReason("Forbidden")
                        .withMessage("pods is forbidden: User \"system:serviceaccount:vipwatch:collector\" cannot "
                                + "list resource \"pods\" in API group \"\" in the namespace \"kube-system\"")
                        .build())
                .always();
        harness = CollectorHarness.start(client, true);
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void reportsTheForbiddenResourceAndCollectsTheRest() throws Exception {
        final Availability pods = harness.collector.availability().get(WatchedResource.PODS);
        assertThat(pods.status()).isEqualTo(Availability.Status.FORBIDDEN);
        assertThat(pods.describe()).startsWith("Pod (pods) may not be listed by this service account (HTTP 403: pods "
                + "is forbidden").endsWith("no kube-vip pods (svc_enable and related env per node); grant "
                + "get/list/watch on it (deploy/kubernetes/rbac.yaml)");
        assertThat(harness.collector.watching()).doesNotContain(WatchedResource.PODS).contains(WatchedResource.SERVICES);

        final Service web = harness.createLoadBalancer("default", "web");
        assertThat(harness.next()).isEqualTo(service(ServiceChange.Op.UPSERT, web, List.of()));
    }
}
