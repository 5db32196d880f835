package io.vipwatch.collector.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.vipwatch.collector.testing.ClusterObjects;
import io.vipwatch.schemas.event.NodeFacts.KubeVip;

/** kube-vip pods read from kube-vip's own published manifests. */
class KubeVipPodsTest {

    static Stream<Arguments> pods() {
        final Pod staticPod = ClusterObjects.kubeVipStaticPod("cp-1");
        return Stream.of(
                Arguments.of("the documented static pod (ARP, control plane, services)", staticPod,
                        new KubeVipPods.Reading(new KubeVip(true, true, "ens192", true, "kube-system/kube-vip-cp-1",
                                "ghcr.io/kube-vip/kube-vip:v0.4.0"), "cp-1", null)),
                Arguments.of("the documented DaemonSet (ARP, control plane, services)",
                        ClusterObjects.kubeVipDaemonSetPod("kube-vip-website-daemonset-arp-controlplane-services.yaml",
                                "cp-2", "a1b2c"),
                        new KubeVipPods.Reading(new KubeVip(true, true, "ens160", true, "kube-system/kube-vip-ds-a1b2c",
                                "ghcr.io/kube-vip/kube-vip:v0.4.0"), "cp-2", null)),
                Arguments.of("the services-only DaemonSet of kube-vip v1.2.3's tests",
                        ClusterObjects.kubeVipDaemonSetPod("kube-vip-v1.2.3-testing-kind-daemonset-services-arp.yaml",
                                "worker-1", "x7k2p"),
                        new KubeVipPods.Reading(new KubeVip(true, null, "eth0", true, "kube-system/kube-vip-ds-x7k2p",
                                "ghcr.io/kube-vip/kube-vip"), "worker-1", null)),
                Arguments.of("a mirror registry image still carrying kube-vip's env",
                        new PodBuilder(staticPod).editSpec().editFirstContainer()
                                .withImage("registry.example/mirror/kvip:v0.8.0").endContainer().endSpec().build(),
                        new KubeVipPods.Reading(new KubeVip(true, true, "ens192", true, "kube-system/kube-vip-cp-1",
                                "registry.example/mirror/kvip:v0.8.0"), "cp-1", null)),
                Arguments.of("svc_enable from a ConfigMap is unknown here: kube-vip's default, false",
                        new PodBuilder(staticPod).editSpec().editFirstContainer()
                                .editMatchingEnv(e -> e.getName().equals("svc_enable")).withValue(null)
                                .withNewValueFrom().withNewConfigMapKeyRef("svc_enable", "kube-vip", false)
                                .endValueFrom().endEnv().endContainer().endSpec().build(),
                        new KubeVipPods.Reading(new KubeVip(false, true, "ens192", true, "kube-system/kube-vip-cp-1",
                                "ghcr.io/kube-vip/kube-vip:v0.4.0"), "cp-1", null)),
                Arguments.of("the cloud provider is not kube-vip",
                        new PodBuilder().withNewMetadata().withNamespace("kube-system").withName("kvcp").endMetadata()
                                .withNewSpec().withNodeName("cp-1").addNewContainer().withName("kube-vip-cloud-provider")
                                .withImage("ghcr.io/kube-vip/kube-vip-cloud-provider:v0.0.12").endContainer()
                                .endSpec().build(),
                        new KubeVipPods.Reading(null, null, "notKubeVip")),
                Arguments.of("a pod not scheduled yet",
                        new PodBuilder(staticPod).editSpec().withNodeName(null).endSpec().build(),
                        new KubeVipPods.Reading(null, null, "notScheduled")),
                Arguments.of("a pod that has finished",
                        new PodBuilder(staticPod).editStatus().withPhase("Failed").endStatus().build(),
                        new KubeVipPods.Reading(null, "cp-1", "finished")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pods")
    void readsKubeVipFactsFromAPod(final String description, final Pod pod, final KubeVipPods.Reading expected) {
        assertThat(KubeVipPods.read(pod)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(nullValues = "null", value = {
        "ghcr.io/kube-vip/kube-vip:v0.4.0, kube-vip",
        "ghcr.io/kube-vip/kube-vip, kube-vip",
        "kube-vip@sha256:0123, kube-vip",
        "localhost:5000/kube-vip:v1, kube-vip",
        "ghcr.io/kube-vip/kube-vip-cloud-provider:v0.0.12, kube-vip-cloud-provider"})
    void namesTheImageWithoutRegistryTagOrDigest(final String image, final String name) {
        assertThat(KubeVipPods.imageName(image)).isEqualTo(name);
    }

    @ParameterizedTest(name = "Go ParseBool ''{0}'' -> {1}")
    @CsvSource(nullValues = "null", value = {"true, true", "True, true", "1, true", "t, true", "false, false",
        "FALSE, false", "0, false", "yes, null", "'', null"})
    void parsesBooleansLikeKubeVip(final String text, final Boolean value) {
        assertThat(KubeVipPods.parseBool(text)).isEqualTo(value);
    }
}
