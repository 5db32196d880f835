package io.vipwatch.collector.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/** What the DaemonSet and Deployment in deploy/kubernetes/ must hold for the roles to work. */
class WorkloadManifestTest {

    private final DaemonSet agent = DeployManifests.only("node-agent-daemonset.yaml", DaemonSet.class);
    private final Deployment collector = DeployManifests.only("collector-deployment.yaml", Deployment.class);
    private final DaemonSet prober = DeployManifests.only("node-prober-daemonset.yaml", DaemonSet.class);

    @Test
    void everyNodeRunsOneAgentTheLabelledOnesTheProbingOneWithNetRawAlone() {
        final NodeSelectorRequirement plain = agent.getSpec().getTemplate().getSpec()
                .getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
                .getNodeSelectorTerms().get(0).getMatchExpressions().get(0);
        final NodeSelectorRequirement probing = prober.getSpec().getTemplate()
                .getSpec().getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
                .getNodeSelectorTerms().get(0).getMatchExpressions().get(0);
        assertThat(List.of(plain.getKey(), plain.getOperator(), plain.getValues().toString()))
                .containsExactly("vipwatch.io/prober", "NotIn", "[true]");
        assertThat(List.of(probing.getKey(), probing.getOperator(), probing.getValues().toString()))
                .containsExactly("vipwatch.io/prober", "In", "[true]");
        final PodSpec pod = prober.getSpec().getTemplate().getSpec();
        assertThat(pod.getHostNetwork()).isTrue();
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        final Container container = pod.getContainers().get(0);
        assertThat(container.getArgs()).containsExactly("node-agent", "--probe");
        assertThat(container.getSecurityContext().getCapabilities().getAdd()).containsExactly("NET_RAW");
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    }

    @Test
    void theNodeAgentSeesTheHostNetworkOnEveryNodeAndKnowsItsNode() {
        final PodSpec pod = agent.getSpec().getTemplate().getSpec();
        assertThat(pod.getHostNetwork()).isTrue();
        assertThat(pod.getTolerations()).as("runs on control-plane nodes, whatever their taints")
                .anySatisfy(t -> {
                    assertThat(t.getOperator()).isEqualTo("Exists");
                    assertThat(t.getKey()).isNull();
                    assertThat(t.getEffect()).isNull();
                });
        final Container container = pod.getContainers().get(0);
        assertThat(container.getArgs()).containsExactly("node-agent");
        final EnvVar node = container.getEnv().stream().filter(e -> e.getName().equals("NODE_NAME")).findFirst()
                .orElseThrow();
        assertThat(node.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("spec.nodeName");
    }

    @Test
    void theCollectorRunsOnceAndReads() {
        assertThat(collector.getSpec().getReplicas()).isEqualTo(1);
        assertThat(collector.getSpec().getStrategy().getType()).isEqualTo("Recreate");
        assertThat(collector.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
                .containsExactly("collect");
    }

    @Test
    void bothRolesGetTheKafkaClientSettingsFromTheSecretAsTheirKafkaConfigFile() throws IOException {
        final String kustomization = Files.readString(DeployManifests.DIR.resolve("kustomization.yaml"));
        assertThat(kustomization).contains("VIPWATCH_KAFKA_CONFIG=/etc/vipwatch/kafka/client.properties")
                .contains("client.properties=kafka-client.properties");
        for (final PodSpec pod : List.of(agent.getSpec().getTemplate().getSpec(),
                prober.getSpec().getTemplate().getSpec(), collector.getSpec().getTemplate().getSpec())) {
            assertThat(pod.getVolumes()).anySatisfy(v -> {
                assertThat(v.getName()).isEqualTo("kafka-client");
                assertThat(v.getSecret().getSecretName()).isEqualTo("vipwatch-kafka");
            });
            final Container container = pod.getContainers().get(0);
            assertThat(container.getVolumeMounts()).anySatisfy(m -> {
                assertThat(m.getName()).isEqualTo("kafka-client");
                assertThat(m.getMountPath()).isEqualTo("/etc/vipwatch/kafka");
            });
            assertThat(container.getEnvFrom()).anySatisfy(e -> assertThat(e.getConfigMapRef().getName())
                    .isEqualTo("vipwatch"));
            assertThat(container.getImage()).matches("vipwatch:[0-9][^:]*");
            assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
            assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        }
    }

    @Test
    void kustomizeBuildsTheWholeSet() throws Exception {
        final Process process;
        try {
            process = new ProcessBuilder("kubectl", "kustomize", DeployManifests.DIR.toString())
                    .redirectErrorStream(true).start();
        } catch (final IOException e) {
            Assumptions.abort("kubectl is not installed here: " + e.getMessage());
            return;
        }
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("kind: ClusterRole\n", "kind: DaemonSet\n", "kind: Deployment\n",
                "kind: Secret\n", "kind: ConfigMap\n", "name: vipwatch-kafka-", "image: vipwatch:0.1.0-SNAPSHOT");
    }
}
