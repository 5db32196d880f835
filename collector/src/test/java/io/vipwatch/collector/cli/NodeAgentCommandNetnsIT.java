package io.vipwatch.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.vipwatch.collector.testing.AgentProcess;
import io.vipwatch.collector.testing.NetworkNamespace;
import io.vipwatch.schemas.event.NodeAddresses;
import io.vipwatch.schemas.event.NodeAddresses.Address;

/**
 * The command as an SRE runs it: {@code node-agent --node n1 --output -} in its own JVM inside a network namespace
 * made by the test ({@code ip netns exec NS java ...}), printing recording lines on standard output.
 */
class NodeAgentCommandNetnsIT {

    static final Duration WAIT = Duration.ofSeconds(20);

    static NetworkNamespace namespace;

    @BeforeAll
    static void createNamespace() {
        namespace = NetworkNamespace.create();
    }

    @AfterAll
    static void deleteNamespace() {
        if (namespace != null) {
            namespace.close();
        }
    }

    @Test
    void printsASnapshotLineWithinOneSecondAfterAnAddressIsAdded() throws Exception {
        try (AgentProcess agent = AgentProcess.start(namespace, NodeAgentCommand.class, "--node", "n1", "--output",
                "-")) {
            final NodeAddresses first = nextSnapshot(agent, WAIT);
            assertThat(first.node()).isEqualTo("n1");
            assertThat(first.cluster()).as("--output without --cluster").isEqualTo("local");
            assertThat(first.addresses()).isEmpty();

            final long added = System.nanoTime();
            namespace.addAddress("198.51.100.10/32", "va");
            final NodeAddresses next = nextSnapshot(agent, Duration.ofSeconds(1));
            assertThat(Duration.ofNanos(System.nanoTime() - added)).isLessThan(Duration.ofSeconds(1));
            assertThat(next.addresses()).containsExactly(new Address("va", "198.51.100.10", 32));
        }
    }

    private static NodeAddresses nextSnapshot(final AgentProcess agent, final Duration timeout)
            throws InterruptedException {
        return (NodeAddresses) agent.next(e -> e instanceof NodeAddresses, timeout);
    }
}
