package io.vipwatch.collector.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.vipwatch.collector.publish.Provenance;
import io.vipwatch.collector.testing.CapturedEvents;
import io.vipwatch.schemas.event.Heartbeat;
import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.schemas.event.NodeAddresses;
import io.vipwatch.schemas.event.NodeAddresses.Address;
import io.vipwatch.testkit.Poll;

/**
 * The agent's decisions (what to publish, when not to) with an address source the test sets by hand; the real
 * sources are exercised against real network namespaces in NodeAgentNetnsIT.
 */
class NodeAgentTest {

    static final Duration WAIT = Duration.ofSeconds(5);
    static final Address VIP = new Address("eth0", "198.51.100.10", 32);
    static final Address NODE_IP = new Address("eth0", "192.0.2.10", 24);

    /** Addresses set by the test; a signal stands for what ip monitor would print. */
    static final class HandSetSource implements AddressSource {
        final AtomicReference<Object> current = new AtomicReference<>(List.of());
        volatile Runnable onChange = () -> { };

        @Override
        @SuppressWarnings("unchecked")
        public List<Address> read() throws IOException {
            final Object value = current.get();
            if (value instanceof IOException e) {
                throw e;
            }
            return (List<Address>) value;
        }

        final AtomicReference<SortedMap<String, String>> links = new AtomicReference<>(
                new TreeMap<>(Map.of("eth0", "02:00:00:00:00:0a")));

        @Override
        public SortedMap<String, String> links() {
            return links.get();
        }

        @Override
        public AutoCloseable watch(final Runnable callback) {
            onChange = callback;
            return () -> onChange = () -> { };
        }

        @Override
        public String describe() {
            return "addresses set by the test";
        }

        void set(final Object value) {
            current.set(value);
            onChange.run();
        }
    }

    private final HandSetSource source = new HandSetSource();
    private final CapturedEvents captured = new CapturedEvents();
    private NodeAgent agent;

    @AfterEach
    void stop() {
        agent.close();
    }

    @Test
    void publishesTheSnapshotAtStartAndThenOnlyChangesBetweenHeartbeats() throws Exception {
        source.current.set(List.of(VIP, NODE_IP));
        start(Duration.ofSeconds(60));
        assertThat(next()).isEqualTo(snapshot(List.of(NODE_IP, VIP)));
        assertThat(next()).isEqualTo(new Heartbeat("c1", 0, "node-agent/c1/n1", "-", "n1", 60_000));

        source.set(List.of(NODE_IP, VIP)); // same set, other order: a spurious signal
        source.set(List.of(NODE_IP));
        assertThat(next()).as("the spurious signal published nothing; the next snapshot is the VIP gone")
                .isEqualTo(snapshot(List.of(NODE_IP)));
    }

    @Test
    void theSnapshotNamesEachInterfacesMacAndAChangedMacIsPublished() throws Exception {
        source.current.set(List.of(NODE_IP));
        start(Duration.ofSeconds(60));
        assertThat(next()).isEqualTo(snapshot(List.of(NODE_IP)));
        assertThat(next()).isInstanceOf(Heartbeat.class);

        source.links.set(new TreeMap<>(Map.of("eth0", "02:00:00:00:00:0b", "eth1",
                "02:00:00:00:00:0c")));
        source.set(List.of(NODE_IP)); // the addresses are the same; the full read finds the new MACs
        assertThat(next()).isEqualTo(snapshot(List.of(NODE_IP), List.of(new NodeAddresses.Link("eth0",
                "02:00:00:00:00:0b"), new NodeAddresses.Link("eth1", "02:00:00:00:00:0c"))));
    }

    @Test
    void aFailedReadPublishesNeitherAnEmptySnapshotNorAHeartbeat() throws Exception {
        source.current.set(new IOException("ip -o addr show scope global: exit 1: Cannot open netlink socket"));
        start(Duration.ofMillis(100));
        Poll.until("three failed reads", WAIT, () -> agent.stats().readFailures() >= 3);
        assertThat(captured.lines()).isEmpty();

        source.set(List.of(NODE_IP));
        assertThat(next()).as("the agent speaks again once it can read").isEqualTo(snapshot(List.of(NODE_IP)));
    }

    @Test
    void aRestartedAgentsFirstSnapshotLeavesOutWhatWasRemovedWhileItWasDown() throws Exception {
        source.current.set(List.of(VIP, NODE_IP));
        start(Duration.ofSeconds(60));
        assertThat(next()).isEqualTo(snapshot(List.of(NODE_IP, VIP)));
        agent.close();
        assertThat(captured.drainNonHeartbeats()).isEmpty();

        source.current.set(List.of()); // kube-vip released the VIP and the node lost its address meanwhile
        start(Duration.ofSeconds(60));

        assertThat(next()).as("a full snapshot replaces the node's last one: no stale binding stays")
                .isEqualTo(snapshot(List.of()));
    }

    private void start(final Duration heartbeat) {
        final NodeAgentSettings config = NodeAgentSettings.defaults("c1", "n1").withHeartbeatInterval(heartbeat);
        agent = new NodeAgent(config, source, captured.sink(), Provenance.nodeAgent("c1", "n1", Clock.systemUTC()));
        agent.start();
    }

    private InputEvent next() throws InterruptedException {
        return CapturedEvents.normalized(captured.nextMatching(e -> true, WAIT));
    }

    static NodeAddresses snapshot(final List<Address> addresses) {
        return snapshot(addresses, List.of(new NodeAddresses.Link("eth0", "02:00:00:00:00:0a")));
    }

    private static NodeAddresses snapshot(final List<Address> addresses, final List<NodeAddresses.Link> links) {
        return new NodeAddresses("c1", 0, "node-agent/c1/n1", "-", "n1", addresses, false, links);
    }
}
