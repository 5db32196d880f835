package io.vipwatch.collector.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.vipwatch.collector.publish.Provenance;
import io.vipwatch.collector.testing.CapturedEvents;
import io.vipwatch.collector.testing.NetworkNamespace;
import io.vipwatch.schemas.event.Heartbeat;
import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.schemas.event.NodeAddresses;
import io.vipwatch.schemas.event.NodeAddresses.Address;

/**
 * The node agent reading a real network namespace made by the test (its ip commands run through
 * {@code ip netns exec}), writing a recording the test reads back. Skipped only where namespaces cannot be made.
 */
class NodeAgentNetnsIT {

    static final Duration ONE_SECOND = Duration.ofSeconds(1);
    static final Duration WAIT = Duration.ofSeconds(10);
    static final String SOURCE = "node-agent/c1/n1";

    static NetworkNamespace namespace;

    private CapturedEvents captured;
    private NodeAgent agent;

    @BeforeAll
    static void createNamespace() {
        namespace = NetworkNamespace.create();
        namespace.addAddress("192.0.2.5/24", "vb");
    }

    @AfterAll
    static void deleteNamespace() {
        if (namespace != null) {
            namespace.close();
        }
    }

    @AfterEach
    void stopAgent() {
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void publishesASnapshotWithinOneSecondOfAnAddressChange() throws Exception {
        startAgent(NodeAgentSettings.defaults("c1", "n1").withIpCommand(namespace.ipCommand()));
        assertThat(nextSnapshot(WAIT).addresses()).containsExactly(new Address("vb", "192.0.2.5", 24));

        final long added = System.nanoTime();
        namespace.addAddress("198.51.100.10/32", "va");
        assertThat(nextSnapshot(ONE_SECOND).addresses()).as("within 1 s of ip addr add")
                .containsExactly(new Address("va", "198.51.100.10", 32), new Address("vb", "192.0.2.5", 24));
        assertThat(Duration.ofNanos(System.nanoTime() - added)).isLessThan(ONE_SECOND);

        final long removed = System.nanoTime();
        namespace.deleteAddress("198.51.100.10/32", "va");
        assertThat(nextSnapshot(ONE_SECOND).addresses()).as("within 1 s of ip addr del")
                .containsExactly(new Address("vb", "192.0.2.5", 24));
        assertThat(Duration.ofNanos(System.nanoTime() - removed)).isLessThan(ONE_SECOND);
    }

    @Test
    void restartingTheAgentResendsTheCurrentSnapshot() throws Exception {
        startAgent(NodeAgentSettings.defaults("c1", "n1").withIpCommand(namespace.ipCommand()));
        nextSnapshot(WAIT);
        namespace.addAddress("2001:db8::10/128", "va");
        try {
            assertThat(nextSnapshot(WAIT).addresses()).contains(new Address("va", "2001:db8::10", 128));
            agent.close();

            startAgent(NodeAgentSettings.defaults("c1", "n1").withIpCommand(namespace.ipCommand()));
            assertThat(nextSnapshot(WAIT)).as("the first thing a restarted agent sends")
                    .isEqualTo(new NodeAddresses("c1", 0, SOURCE, "-", "n1", List.of(
                            new Address("va", "2001:db8::10", 128), new Address("vb", "192.0.2.5", 24)), false,
                            links()));
        } finally {
            namespace.deleteAddress("2001:db8::10/128", "va");
        }
    }

    @Test
    void sendsTheSameSnapshotWithEveryHeartbeat() throws Exception {
        startAgent(NodeAgentSettings.defaults("c1", "n1").withIpCommand(namespace.ipCommand())
                .withHeartbeatInterval(Duration.ofMillis(300)));
        final List<Address> addresses = List.of(new Address("vb", "192.0.2.5", 24));
        for (int beat = 0; beat < 3; beat++) {
            assertThat(captured.nextMatching(e -> true, WAIT)).extracting(CapturedEvents::normalized)
                    .isEqualTo(new NodeAddresses("c1", 0, SOURCE, "-", "n1", addresses, false, links()));
            assertThat(captured.nextMatching(e -> true, WAIT)).extracting(CapturedEvents::normalized)
                    .isEqualTo(new Heartbeat("c1", 0, SOURCE, "-", "n1", 300));
        }
    }

    /** The MACs of the namespace's veth pair, as ip shows them. */
    private static List<NodeAddresses.Link> links() {
        final Matcher ether = Pattern.compile("^\\d+: (\\w+)@\\S+.*link/ether (\\S+)",
                Pattern.MULTILINE).matcher(namespace.output("ip", "-o", "link", "show"));
        final List<NodeAddresses.Link> links = new ArrayList<>();
        while (ether.find()) {
            links.add(new NodeAddresses.Link(ether.group(1), ether.group(2)));
        }
        links.sort(Comparator.comparing(NodeAddresses.Link::iface));
        assertThat(links).extracting(NodeAddresses.Link::iface).containsExactly("va", "vb");
        return links;
    }

    private void startAgent(final NodeAgentSettings config) {
        captured = new CapturedEvents();
        agent = new NodeAgent(config, NodeAgent.sourceFor(config), captured.sink(),
                Provenance.nodeAgent(config.cluster(), config.node(), Clock.systemUTC()));
        agent.start();
    }

    private NodeAddresses nextSnapshot(final Duration timeout) throws InterruptedException {
        final InputEvent event = captured.nextMatching(e -> e instanceof NodeAddresses, timeout);
        return (NodeAddresses) CapturedEvents.normalized(event);
    }
}
