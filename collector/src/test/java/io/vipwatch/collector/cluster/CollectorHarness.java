package io.vipwatch.collector.cluster;

import static io.vipwatch.collector.testing.ClusterObjects.BGP_CRD;
import static io.vipwatch.collector.testing.ClusterObjects.L2_CRD;
import static io.vipwatch.collector.testing.ClusterObjects.METALLB_NAMESPACE;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.vipwatch.collector.publish.Provenance;
import io.vipwatch.collector.publish.PublicationMemory;
import io.vipwatch.collector.testing.CapturedEvents;
import io.vipwatch.collector.testing.ClusterObjects;
import io.vipwatch.testkit.Poll;
import io.vipwatch.schemas.event.AnnouncementChange;
import io.vipwatch.schemas.event.AnnouncementChange.Announcer;
import io.vipwatch.schemas.event.AnnouncementChange.Evidence;
import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.schemas.event.ServiceChange;

/**
 * A {@link ClusterCollector} writing a recording that the test reads back, against the fabric8 mock API server
 * (CRUD mode, the accepted stand-in for a Kubernetes API server), plus what MetalLB and kube-vip would do to that
 * server.
 */
final class CollectorHarness implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(10);
    static final String CLUSTER = "c1";
    static final String SOURCE = "collector/c1";

    final KubernetesClient client;
    final CapturedEvents captured = new CapturedEvents();
    final ClusterCollector collector;

    private CollectorHarness(final KubernetesClient client, final CollectorSettings config,
            final PublicationMemory memory) {
        this.client = client;
        this.collector = new ClusterCollector(client, config, captured.sink(),
                Provenance.collector(CLUSTER, Clock.systemUTC()), memory);
    }

    /** Installs MetalLB's CRDs (unless told not to) and starts a collector with a 200 ms heartbeat. */
    static CollectorHarness start(final KubernetesClient client, final boolean metallbCrds) {
        return start(client, metallbCrds, CollectorSettings.defaults(CLUSTER).withHeartbeatInterval(Duration.ofMillis(200)));
    }

    static CollectorHarness start(final KubernetesClient client, final boolean metallbCrds, final CollectorSettings config) {
        return start(client, metallbCrds, config, PublicationMemory.NONE);
    }

    static CollectorHarness start(final KubernetesClient client, final boolean metallbCrds,
            final CollectorSettings config, final PublicationMemory memory) {
        if (metallbCrds) {
            client.apiextensions().v1().customResourceDefinitions().resource(ClusterObjects.crd(L2_CRD)).create();
            client.apiextensions().v1().customResourceDefinitions().resource(ClusterObjects.crd(BGP_CRD)).create();
        }
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(METALLB_NAMESPACE)
                .endMetadata().build()).create();
        return restart(client, config, memory);
    }

    /** Another collector against the same API server (CRDs and namespaces in place), remembering with {@code memory}. */
    static CollectorHarness restart(final KubernetesClient client, final CollectorSettings config,
            final PublicationMemory memory) {
        final CollectorHarness harness = new CollectorHarness(client, config, memory);
        harness.collector.start(WAIT.toMillis());
        return harness;
    }

    @Override
    public void close() {
        collector.close();
    }

    /**
     * Runs {@code action} and waits until the collector has applied {@code changes} more informer callbacks: for
     * steps that publish nothing but must be seen before the next one.
     */
    void applyAndAwait(final int changes, final Runnable action) {
        final long target = collector.stats().changesApplied() + changes;
        action.run();
        Poll.until(changes + " more changes applied", WAIT, () -> collector.stats().changesApplied() >= target);
    }

    InputEvent next() throws InterruptedException {
        return captured.next(WAIT);
    }

    List<InputEvent> next(final int count) throws InterruptedException {
        return captured.next(count, WAIT);
    }

    Service createLoadBalancer(final String namespace, final String name) {
        return client.services().inNamespace(namespace).resource(ClusterObjects.loadBalancerService(namespace, name))
                .create();
    }

    /** What MetalLB's controller (or kube-vip's cloud provider) does once it has allocated an IP. */
    Service setIngress(final String namespace, final String name, final String ip) {
        return ClusterObjects.setIngress(client, namespace, name, ip);
    }

    /** A LoadBalancer Service with an allocated IP; its two UPSERTs are consumed. */
    Service createServiceWithIngress(final String namespace, final String name, final String ip)
            throws InterruptedException {
        createLoadBalancer(namespace, name);
        next();
        final Service service = setIngress(namespace, name, ip);
        next();
        return service;
    }

    /** What MetalLB's speaker does when it starts announcing: create the object, then write its status. */
    GenericKubernetesResource createL2Status(final String node, final String namespace, final String service,
            final List<String> interfaces) {
        return ClusterObjects.createL2Status(client, node, namespace, service, interfaces);
    }

    NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>>
            l2Statuses() {
        return client.genericKubernetesResources(WatchedResource.SERVICE_L2_STATUSES.context())
                .inNamespace(METALLB_NAMESPACE);
    }

    NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>>
            bgpStatuses() {
        return client.genericKubernetesResources(WatchedResource.SERVICE_BGP_STATUSES.context())
                .inNamespace(METALLB_NAMESPACE);
    }

    /** The event for a Service as published: fields from {@code view}, resourceVersion from {@code version}. */
    static ServiceChange service(final ServiceChange.Op op, final Service view, final Service version,
            final List<String> ingress, final Map<String, String> annotations) {
        return new ServiceChange(CLUSTER, 0, SOURCE, "-", op, view.getMetadata().getNamespace(),
                view.getMetadata().getName(), view.getMetadata().getUid(),
                version.getMetadata().getResourceVersion(), "LoadBalancer", null, ingress, List.of(),
                view.getSpec().getExternalTrafficPolicy(), annotations);
    }

    static ServiceChange service(final ServiceChange.Op op, final Service service, final List<String> ingress) {
        return service(op, service, service, ingress, Map.of());
    }

    static AnnouncementChange announcement(final AnnouncementChange.Op op, final String service,
            final Announcer announcer, final String node, final List<String> interfaces, final Evidence evidence) {
        return new AnnouncementChange(CLUSTER, 0, SOURCE, "-", op, "default", service, announcer, node, null,
                interfaces, evidence);
    }
}
