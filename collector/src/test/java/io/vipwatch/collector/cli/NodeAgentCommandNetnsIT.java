package io.vipwatch.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.vipwatch.collector.testing.NetworkNamespace;
import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.schemas.event.NodeAddressesEvent;
import io.vipwatch.schemas.event.NodeAddressesEvent.Address;
import io.vipwatch.schemas.recording.RecordingCodec;

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
        final List<String> java = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), NodeAgentCommand.class.getName(),
                "--node", "n1", "--output", "-"));
        final Process process = new ProcessBuilder(namespace.inside(java))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    lines.add(line);
                }
            } catch (final java.io.IOException e) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        try {
            final NodeAddressesEvent first = nextSnapshot(lines, WAIT);
            assertThat(first.node()).isEqualTo("n1");
            assertThat(first.cluster()).as("--output without --cluster").isEqualTo("local");
            assertThat(first.addresses()).isEmpty();

            final long added = System.nanoTime();
            namespace.addAddress("198.51.100.10/32", "va");
            final NodeAddressesEvent next = nextSnapshot(lines, Duration.ofSeconds(1));
            assertThat(Duration.ofNanos(System.nanoTime() - added)).isLessThan(Duration.ofSeconds(1));
            assertThat(next.addresses()).containsExactly(new Address("va", "198.51.100.10", 32));
        } finally {
            process.destroy();
            assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("the agent stops on SIGTERM").isTrue();
        }
    }

    private static NodeAddressesEvent nextSnapshot(final BlockingQueue<String> lines, final Duration timeout)
            throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            final String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertThat(line).as("a recording line on stdout within %s", timeout).isNotNull();
            final InputEvent event = RecordingCodec.parse(line);
            if (event instanceof NodeAddressesEvent snapshot) {
                return snapshot;
            }
        }
    }
}
