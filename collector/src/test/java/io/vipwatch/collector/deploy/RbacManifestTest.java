package io.vipwatch.collector.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.vipwatch.collector.cluster.WatchedResource;

/**
 * The collector's ClusterRole in deploy/kubernetes/rbac.yaml grants exactly the resources the collector watches
 * ({@link WatchedResource}, the list it builds its informers from) and only the verbs that read.
 */
class RbacManifestTest {

    private final ClusterRole role = DeployManifests.only("rbac.yaml", ClusterRole.class);
    private final Role podsRole = DeployManifests.only("rbac.yaml", Role.class);

    @Test
    void grantsEveryWatchedResourceAndNothingElse() {
        final Set<String> granted = new HashSet<>();
        final List<PolicyRule> rules = new ArrayList<>(role.getRules());
        rules.addAll(podsRole.getRules());
        for (final PolicyRule rule : rules) {
            assertThat(rule.getNonResourceURLs()).as("non-resource URLs").isNullOrEmpty();
            assertThat(rule.getResourceNames()).as("a rule limited to some names would hide objects").isNullOrEmpty();
            for (final String group : rule.getApiGroups()) {
                for (final String resource : rule.getResources()) {
                    granted.add(group + "/" + resource);
                }
            }
        }
        final Set<String> watched = WatchedResource.all().stream().map(r -> r.group() + "/" + r.plural())
                .collect(Collectors.toSet());
        assertThat(granted).isEqualTo(watched);
    }

    @Test
    void readsPodsOnlyInKubeVipsNamespace() {
        assertThat(role.getRules()).as("no cluster-wide pod access: pod specs can hold literal secrets")
                .noneMatch(rule -> rule.getResources().contains("pods") || rule.getResources().contains("*"));
        assertThat(podsRole.getMetadata().getNamespace()).isEqualTo("kube-system");
        assertThat(podsRole.getRules()).singleElement().satisfies(rule -> {
            assertThat(rule.getResources()).containsExactly("pods");
            assertThat(rule.getApiGroups()).containsExactly("");
        });
        final RoleBinding binding = DeployManifests.only("rbac.yaml", RoleBinding.class);
        assertThat(binding.getMetadata().getNamespace()).isEqualTo("kube-system");
        assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
        assertThat(binding.getRoleRef().getName()).isEqualTo(podsRole.getMetadata().getName());
        assertThat(binding.getSubjects()).singleElement().satisfies(subject -> {
            assertThat(subject.getName()).isEqualTo("vipwatch-collector");
            assertThat(subject.getNamespace()).isEqualTo("vipwatch");
        });
    }

    @Test
    void grantsOnlyReadingVerbs() {
        final List<PolicyRule> rules = new ArrayList<>(role.getRules());
        rules.addAll(podsRole.getRules());
        for (final PolicyRule rule : rules) {
            assertThat(rule.getVerbs()).as("verbs of %s", rule.getResources())
                    .containsExactlyInAnyOrderElementsOf(WatchedResource.verbs());
        }
        assertThat(WatchedResource.verbs()).containsExactlyInAnyOrder("get", "list", "watch");
    }

    @Test
    void bindsTheRoleToTheServiceAccountTheCollectorRunsAs() {
        final ClusterRoleBinding binding = DeployManifests.only("rbac.yaml", ClusterRoleBinding.class);
        final Deployment collector = DeployManifests.only("collector-deployment.yaml", Deployment.class);

        assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
        assertThat(binding.getSubjects()).singleElement().satisfies(subject -> {
            assertThat(subject.getKind()).isEqualTo("ServiceAccount");
            assertThat(subject.getName()).isEqualTo(collector.getSpec().getTemplate().getSpec().getServiceAccountName());
        });
    }

    @Test
    void theNodeAgentHasNoApiAccess() {
        final List<ServiceAccount> accounts = DeployManifests.load("rbac.yaml").stream()
                .filter(ServiceAccount.class::isInstance).map(ServiceAccount.class::cast).toList();
        final ServiceAccount agent = accounts.stream()
                .filter(a -> a.getMetadata().getName().equals("vipwatch-node-agent")).findFirst().orElseThrow();
        assertThat(agent.getAutomountServiceAccountToken()).isFalse();
        assertThat(DeployManifests.only("rbac.yaml", ClusterRoleBinding.class).getSubjects())
                .noneMatch(subject -> subject.getName().equals("vipwatch-node-agent"));
    }
}
