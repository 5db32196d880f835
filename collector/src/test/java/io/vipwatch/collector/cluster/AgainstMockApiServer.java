package io.vipwatch.collector.cluster;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The lifecycle of a collection test: a {@link CollectorHarness} (MetalLB's CRDs installed) started against the
 * fabric8 mock API server before each test and closed after it. A subclass carries
 * {@code @EnableKubernetesMockClient(crud = true)}, which sets {@link #client}.
 */
abstract class AgainstMockApiServer {

    KubernetesClient client;

    CollectorHarness harness;

    @BeforeEach
    void startCollector() {
        harness = CollectorHarness.start(client, true);
    }

    @AfterEach
    void stopCollector() {
        harness.close();
    }
}
