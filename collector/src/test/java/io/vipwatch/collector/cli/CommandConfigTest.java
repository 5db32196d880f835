package io.vipwatch.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.vipwatch.collector.cluster.CollectorSettings;
import io.vipwatch.collector.node.NodeAgentSettings;
import picocli.CommandLine;

/** Bad configuration fails at start with exit code 2 and a message naming the key; good flags build the record. */
class CommandConfigTest {

    static Stream<Arguments> badStarts() {
        return Stream.of(
                Arguments.of("collect without a cluster id", new CollectCommand(),
                        List.of("--bootstrap-servers", "localhost:1"), "missing --cluster (env VIPWATCH_CLUSTER)"),
                Arguments.of("a cluster id with a slash", new CollectCommand(),
                        List.of("--cluster", "a/b", "--output", "-"), "--cluster 'a/b' must not contain '/'"),
                Arguments.of("a malformed duration", new CollectCommand(),
                        List.of("--cluster", "c1", "--heartbeat-interval", "ten"),
                        "Invalid value for option '--heartbeat-interval': 'ten' is not a duration"),
                Arguments.of("a zero heartbeat", new CollectCommand(),
                        List.of("--cluster", "c1", "--output", "-", "--heartbeat-interval", "0"),
                        "--heartbeat-interval must be positive"),
                Arguments.of("a kubeconfig that is not there", new CollectCommand(),
                        List.of("--cluster", "c1", "--output", "-", "--kubeconfig", "/nonexistent/kubeconfig"),
                        "--kubeconfig /nonexistent/kubeconfig: no such readable file"),
                Arguments.of("a field selector that is not key=value", new CollectCommand(),
                        List.of("--cluster", "c1", "--output", "-", "--event-field-selector", "reason"),
                        "--event-field-selector 'reason': 'reason' is not key=value"),
                Arguments.of("a state file while publishing to Kafka", new CollectCommand(),
                        List.of("--cluster", "c1", "--bootstrap-servers", "localhost:1", "--state-file", "c1.state"),
                        "--state-file c1.state goes with --output: publishing to Kafka, the collector remembers "
                                + "what it published in vipwatch.collector-state.v1"),
                Arguments.of("a state file of another cluster", new CollectCommand(),
                        List.of("--cluster", "c1", "--output", "-", "--state-file", stateFile("c2").toString()),
                        "holds cluster c2, but this collector collects c1"),
                Arguments.of("neither a broker nor an output", new CollectCommand(), List.of("--cluster", "c1"),
                        "nowhere to publish: give --bootstrap-servers"),
                Arguments.of("node-agent without a node name", new NodeAgentCommand(), List.of("--output", "-"),
                        "missing --node (env NODE_NAME)"),
                Arguments.of("an unknown address source", new NodeAgentCommand(),
                        List.of("--node", "n1", "--output", "-", "--address-source", "netlink"),
                        "--address-source 'netlink' must be one of auto, ip, java"),
                Arguments.of("a Kafka client config that cannot be read", new NodeAgentCommand(),
                        List.of("--node", "n1", "--cluster", "c1", "--bootstrap-servers", "localhost:1",
                                "--kafka-config", "/nonexistent/client.properties"),
                        "--kafka-config /nonexistent/client.properties: cannot read"),
                Arguments.of("probing into a recording without a VIP list", new NodeAgentCommand(),
                        List.of("--node", "n1", "--output", "-", "--probe"),
                        "--probe with --output needs --probe-vips"),
                Arguments.of("a probe VIP that is no IP", new NodeAgentCommand(),
                        List.of("--node", "n1", "--output", "-", "--probe", "--probe-vips", "198.51.100.10,web"),
                        "--probe-vips: 'web' is not an IP address"),
                Arguments.of("a probe window of half a second", new NodeAgentCommand(),
                        List.of("--node", "n1", "--output", "-", "--probe", "--probe-vips", "198.51.100.10",
                                "--probe-window", "500ms"),
                        "--probe-window must be a positive whole number of seconds"),
                Arguments.of("no probe at a time", new NodeAgentCommand(),
                        List.of("--node", "n1", "--output", "-", "--probe", "--probe-vips", "198.51.100.10",
                                "--probe-concurrency", "0"),
                        "--probe-concurrency must be 1 to 1024, got 0"));
    }

    /** A state file holding one Service of {@code cluster}. */
    private static Path stateFile(final String cluster) {
        try {
            final Path file = Files.createTempFile(Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"))),
                    "state-", ".jsonl");
            Files.writeString(file, "{\"type\":\"service\",\"cluster\":\"" + cluster + "\",\"observedAt\":"
                    + "\"2026-11-01T00:00:10Z\",\"op\":\"UPSERT\",\"namespace\":\"default\",\"name\":\"web\"}\n");
            return file;
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badStarts")
    void failsAtStartNamingTheKey(final String description, final Callable<Integer> command, final List<String> args,
            final String message) {
        final StringWriter err = new StringWriter();
        final CommandLine line = new CommandLine(command);
        line.setErr(new PrintWriter(err, true));
        line.setOut(new PrintWriter(new StringWriter(), true));

        assertThat(line.execute(args.toArray(String[]::new))).isEqualTo(2);
        assertThat(err.toString()).contains(message);
    }

    @Test
    void buildsTheCollectorConfigFromFlags() {
        final CollectCommand command = new CollectCommand();
        new CommandLine(command).parseArgs("--cluster", "prod-eu-1", "--context", "admin@prod", "--heartbeat-interval",
                "500ms", "--resync-interval", "PT2M", "--relist-interval", "0", "--kube-vip-namespace", "kube-vip");

        assertThat(command.config()).isEqualTo(new CollectorSettings("prod-eu-1", null, "admin@prod",
                Duration.ofMillis(500), Duration.ofMinutes(2), Duration.ZERO, "kube-vip", "reason=nodeAssigned"));
    }

    @Test
    void buildsTheNodeAgentConfigFromFlagsWithDefaults() {
        final NodeAgentCommand command = new NodeAgentCommand();
        new CommandLine(command).parseArgs("--node", "n1", "--cluster", "c1", "--ip-command", "ip netns exec ns1 ip");

        assertThat(command.config()).isEqualTo(new NodeAgentSettings("c1", "n1", Duration.ofSeconds(10),
                Duration.ofSeconds(5), NodeAgentSettings.SourceKind.AUTO, List.of("ip", "netns", "exec", "ns1", "ip"),
                Duration.ofMillis(100)));
    }

    @Test
    void aCaptureWithoutAClusterIdIsLocal() {
        final NodeAgentCommand command = new NodeAgentCommand();
        new CommandLine(command).parseArgs("--node", "n1", "--output", "-");

        assertThat(command.config().cluster()).isEqualTo("local");
    }
}
