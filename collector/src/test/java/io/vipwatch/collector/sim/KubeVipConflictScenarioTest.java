package io.vipwatch.collector.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.schemas.event.NodeAddresses;
import io.vipwatch.schemas.event.NodeFacts;
import io.vipwatch.schemas.event.ServiceChange;

class KubeVipConflictScenarioTest {

    private static final long START = 1_700_000_000_000L;
    private final List<InputEvent> events = new KubeVipConflictScenario("c1", START).events();

    @Test
    void playsInEventTimeOrder() {
        for (int i = 1; i < events.size(); i++) {
            assertThat(events.get(i).observedAt()).isGreaterThanOrEqualTo(events.get(i - 1).observedAt());
        }
    }

    @Test
    void bindsTheVipOnCp1OnlyWhileTheServiceExists() {
        final List<NodeAddresses> cp1 = events.stream()
                .filter(NodeAddresses.class::isInstance).map(NodeAddresses.class::cast)
                .filter(e -> e.node().equals("cp-1")).toList();

        assertThat(cp1).extracting(e -> e.addresses().stream().anyMatch(a -> a.ip().equals("198.51.100.10")))
                .containsExactly(false, true, false);
        assertThat(cp1.get(1).observedAt()).isEqualTo(START + KubeVipConflictScenario.BIND_AT * 1000L);
        assertThat(cp1.get(1).addresses()).contains(new NodeAddresses.Address("eth0", "198.51.100.10", 32));
    }

    @Test
    void cp1RunsKubeVipWithSvcEnable() {
        final NodeFacts cp1 = events.stream().filter(NodeFacts.class::isInstance)
                .map(NodeFacts.class::cast).filter(e -> e.node().equals("cp-1")).findFirst().orElseThrow();

        assertThat(cp1.kubeVip().svcEnable()).isTrue();
        assertThat(cp1.excludedFromLoadBalancers()).isTrue();
    }

    @Test
    void theServiceIsAllocatedByMetalLbThenDeleted() {
        final List<ServiceChange> services = events.stream().filter(ServiceChange.class::isInstance)
                .map(ServiceChange.class::cast).toList();

        assertThat(services).extracting(ServiceChange::op).containsExactly(ServiceChange.Op.UPSERT, ServiceChange.Op.DELETE);
        assertThat(services.get(0).ingressIps()).containsExactly(KubeVipConflictScenario.VIP);
        assertThat(services.get(0).annotations()).containsKey("metallb.io/ip-allocated-from-pool");
    }
}
