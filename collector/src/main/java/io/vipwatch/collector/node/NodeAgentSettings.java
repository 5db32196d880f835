package io.vipwatch.collector.node;

import java.time.Duration;
import java.util.List;

/**
 * Configuration of {@code vipwatch node-agent}, built from flags and environment variables by
 * {@code NodeAgentCommand} (each key documented there and in docs/collectors.md).
 *
 * @param cluster fleet-unique cluster id ({@code --cluster}, VIPWATCH_CLUSTER; required)
 * @param node this node's name ({@code --node}, NODE_NAME; required)
 * @param heartbeatInterval time between heartbeats, each with a full snapshot (default 10 s)
 * @param fullReadInterval time between full reads that publish only a change: the safety net under change
 *        detection (default 5 s)
 * @param addressSource how addresses are read: {@code ip} (iproute2), {@code java} (NetworkInterface, polled) or
 *        {@code auto} (ip where it runs, else java; the default)
 * @param ipCommand the command that runs iproute2's ip (default {@code ip}; e.g. {@code ip netns exec NS ip})
 * @param pollInterval how often the {@code java} source polls (default 100 ms)
 */
public record NodeAgentSettings(String cluster, String node, Duration heartbeatInterval, Duration fullReadInterval,
        SourceKind addressSource, List<String> ipCommand, Duration pollInterval) {

    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_FULL_READ = Duration.ofSeconds(5);
    public static final Duration DEFAULT_POLL = Duration.ofMillis(100);

    /** How the agent reads addresses. */
    public enum SourceKind { AUTO, IP, JAVA }

    /** @throws IllegalArgumentException naming the flag of the first value that is missing or out of range */
    public NodeAgentSettings {
        if (cluster == null || cluster.isBlank()) {
            throw new IllegalArgumentException("missing --cluster (env VIPWATCH_CLUSTER): the fleet-unique cluster id");
        }
        if (cluster.contains("/")) {
            throw new IllegalArgumentException("--cluster '" + cluster + "' must not contain '/' (it is part of keys)");
        }
        if (node == null || node.isBlank()) {
            throw new IllegalArgumentException("missing --node (env NODE_NAME): this node's name");
        }
        requirePositive(heartbeatInterval, "--heartbeat-interval");
        requirePositive(fullReadInterval, "--full-read-interval");
        requirePositive(pollInterval, "--poll-interval");
        if (addressSource == null) {
            throw new IllegalArgumentException("--address-source must be one of auto, ip, java");
        }
        if (ipCommand == null || ipCommand.isEmpty() || ipCommand.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("--ip-command must not be empty");
        }
        ipCommand = List.copyOf(ipCommand);
    }

    public static NodeAgentSettings defaults(final String cluster, final String node) {
        return new NodeAgentSettings(cluster, node, DEFAULT_HEARTBEAT, DEFAULT_FULL_READ, SourceKind.AUTO, List.of("ip"),
                DEFAULT_POLL);
    }

    public NodeAgentSettings withHeartbeatInterval(final Duration interval) {
        return new NodeAgentSettings(cluster, node, interval, fullReadInterval, addressSource, ipCommand, pollInterval);
    }

    public NodeAgentSettings withIpCommand(final List<String> command) {
        return new NodeAgentSettings(cluster, node, heartbeatInterval, fullReadInterval, SourceKind.IP, command,
                pollInterval);
    }

    private static void requirePositive(final Duration value, final String flag) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(flag + " must be positive, got " + value);
        }
    }
}
