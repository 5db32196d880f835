package io.vipwatch.collector.testing;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;

/**
 * Kubernetes objects for tests, built from the upstream fixtures where upstream has one (MetalLB's sample Service,
 * kube-vip's manifests, MetalLB's CRDs) and from the shape MetalLB's speaker code creates where it has none
 * (ServiceL2Status objects; see fixtures/README.md, "Not found").
 */
public final class ClusterObjects {

    public static final String L2_CRD = "metallb-v0.16.1-crd-servicel2statuses.metallb.io.yaml";
    public static final String BGP_CRD = "metallb-v0.16.1-crd-servicebgpstatuses.metallb.io.yaml";
    public static final String METALLB_NAMESPACE = "metallb-system";

    private ClusterObjects() {
    }

    /**
     * MetalLB in Layer 2 on the mock API server: the ServiceL2Status CRD, the {@code metallb-system} namespace, and
     * the given nodes (without labels).
     */
    public static void installMetalLbL2(final KubernetesClient client, final String... nodes) {
        client.apiextensions().v1().customResourceDefinitions().resource(crd(L2_CRD)).create();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(METALLB_NAMESPACE)
                .endMetadata().build()).create();
        for (final String node : nodes) {
            client.nodes().resource(node(node, Map.of())).create();
        }
    }

    public static CustomResourceDefinition crd(final String file) {
        return Fixtures.load(file, CustomResourceDefinition.class);
    }

    /** MetalLB's sample {@code type: LoadBalancer} Service (configsamples/deployment_l2.yaml), renamed. */
    public static Service loadBalancerService(final String namespace, final String name) {
        final Service sample = Fixtures.loadKind("metallb-v0.16.1-configsamples-deployment_l2.yaml", Service.class);
        return new ServiceBuilder(sample).editMetadata().withNamespace(namespace).withName(name).endMetadata().build();
    }

    /**
     * A ServiceL2Status (or ServiceBGPStatus) as MetalLB's speaker creates it: in MetalLB's namespace, generateName
     * {@code l2-}, the node and Service in labels; status is set after creation, as the speaker does.
     */
    public static GenericKubernetesResource metallbStatus(final String crdFile, final String node,
            final String serviceNamespace, final String serviceName) {
        final CustomResourceDefinition crd = crd(crdFile);
        final String apiVersion = crd.getSpec().getGroup() + "/" + crd.getSpec().getVersions().get(0).getName();
        final boolean l2 = crdFile.equals(L2_CRD);
        return new GenericKubernetesResourceBuilder()
                .withApiVersion(apiVersion)
                .withKind(crd.getSpec().getNames().getKind())
                .withMetadata(new ObjectMetaBuilder()
                        .withNamespace(METALLB_NAMESPACE)
                        .withGenerateName(l2 ? "l2-" : "bgp-")
                        .withLabels(Map.of("metallb.io/node", node, "metallb.io/service-name", serviceName,
                                "metallb.io/service-namespace", serviceNamespace))
                        .build())
                .build();
    }

    /** The status MetalLB's speaker writes into a ServiceL2Status. */
    public static Map<String, Object> l2StatusBody(final String node, final String serviceNamespace,
            final String serviceName, final List<String> interfaces) {
        return Map.of("node", node, "serviceName", serviceName, "serviceNamespace", serviceNamespace,
                "interfaces", interfaces.stream().map(name -> Map.of("name", name)).toList());
    }

    /** What MetalLB's controller (or kube-vip's cloud provider) does once it has allocated an IP. */
    public static Service setIngress(final KubernetesClient client, final String namespace, final String name,
            final String ip) {
        return client.services().inNamespace(namespace).withName(name).editStatus(s -> new ServiceBuilder(s)
                .withNewStatus().withNewLoadBalancer().withIngress(new LoadBalancerIngressBuilder().withIp(ip).build())
                .endLoadBalancer().endStatus().build());
    }

    /** What MetalLB's speaker does when it starts announcing: create the ServiceL2Status, then write its status. */
    public static GenericKubernetesResource createL2Status(final KubernetesClient client, final String node,
            final String namespace, final String service, final List<String> interfaces) {
        final GenericKubernetesResource created = l2Statuses(client)
                .resource(metallbStatus(L2_CRD, node, namespace, service)).create();
        return l2Statuses(client).withName(created.getMetadata().getName()).editStatus(s -> {
            s.setAdditionalProperty("status", l2StatusBody(node, namespace, service, interfaces));
            return s;
        });
    }

    /** The ServiceL2Status objects (MetalLB's CRD) in MetalLB's namespace. */
    public static NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList,
            Resource<GenericKubernetesResource>> l2Statuses(final KubernetesClient client) {
        return client.genericKubernetesResources(CustomResourceDefinitionContext.fromCrd(crd(L2_CRD)))
                .inNamespace(METALLB_NAMESPACE);
    }

    /** kube-vip's documented static pod (ARP, control plane and Services) as the kubelet mirrors it for a node. */
    public static Pod kubeVipStaticPod(final String node) {
        final Pod manifest = Fixtures.load("kube-vip-website-static-pod-arp-controlplane-services.yaml", Pod.class);
        return new PodBuilder(manifest)
                .editMetadata().withName("kube-vip-" + node)
                .addToAnnotations("kubernetes.io/config.mirror", "0123456789abcdef").endMetadata()
                .editSpec().withNodeName(node).endSpec()
                .withNewStatus().withPhase("Running").endStatus()
                .build();
    }

    /** A pod of a kube-vip DaemonSet fixture, scheduled on a node. */
    public static Pod kubeVipDaemonSetPod(final String daemonSetFile, final String node, final String suffix) {
        final DaemonSet daemonSet = Fixtures.load(daemonSetFile, DaemonSet.class);
        final ObjectMeta template = daemonSet.getSpec().getTemplate().getMetadata();
        return new PodBuilder()
                .withNewMetadata()
                .withNamespace(daemonSet.getMetadata().getNamespace())
                .withName(daemonSet.getMetadata().getName() + "-" + suffix)
                .withLabels(template == null ? Map.of() : template.getLabels())
                .addNewOwnerReference().withApiVersion("apps/v1").withKind("DaemonSet")
                .withName(daemonSet.getMetadata().getName()).withUid("ds-uid").withController(true).endOwnerReference()
                .endMetadata()
                .withSpec(daemonSet.getSpec().getTemplate().getSpec())
                .editSpec().withNodeName(node).endSpec()
                .withNewStatus().withPhase("Running").endStatus()
                .build();
    }

    public static Node node(final String name, final Map<String, String> labels) {
        return new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
                .withNewStatus().addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus()
                .build();
    }

    /** An RFC 3339 time for Event timestamps. */
    public static String time(final Instant instant) {
        return instant.toString();
    }
}
