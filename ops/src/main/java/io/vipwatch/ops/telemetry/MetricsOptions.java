package io.vipwatch.ops.telemetry;

import picocli.CommandLine.Option;

import org.slf4j.LoggerFactory;

/**
 * {@code --metrics-port} and {@code --metrics-address} of every long-running role: a picocli mixin, so the flags
 * and environment variables are the same everywhere. Each role has its own default port (docs/operations.md):
 * collect 9401, node-agent 9402, streams 9403, store 9404, alertmanager 9405; serve and demo also answer on
 * their HTTP port.
 */
public final class MetricsOptions {

    @Option(names = "--metrics-port", paramLabel = "PORT", defaultValue = "${env:VIPWATCH_METRICS_PORT}",
            description = "Port of /metrics, /healthz and /readyz (env VIPWATCH_METRICS_PORT; 0 = a free one, -1 = off; default: the role's, see docs/operations.md).")
    Integer port;

    @Option(names = "--metrics-address", paramLabel = "HOST", defaultValue = "${env:VIPWATCH_METRICS_ADDRESS:-0.0.0.0}",
            description = "Address /metrics, /healthz and /readyz listen on (env VIPWATCH_METRICS_ADDRESS; default ${DEFAULT-VALUE}).")
    String address = "0.0.0.0";

    public MetricsOptions() {
    }

    /** The port to listen on: the flag, else the role's default; negative means off. */
    public int port(final int roleDefault) {
        return port == null ? roleDefault : port;
    }

    /**
     * Starts the endpoints of {@code telemetry}, or returns null when the port is negative (off). A port given
     * with the flag or the variable must be free; when the role's default port is taken (several roles on one
     * host without --metrics-port), the role runs without the endpoints and says so in a warning.
     *
     * @throws IllegalArgumentException naming the flag when the given port cannot be listened on
     */
    public TelemetryServer start(final Telemetry telemetry, final int roleDefault) {
        final int chosen = port(roleDefault);
        if (chosen < 0) {
            return null;
        }
        try {
            return TelemetryServer.start(telemetry, address, chosen);
        } catch (final IllegalArgumentException e) {
            if (port != null) {
                throw e;
            }
            LoggerFactory.getLogger(MetricsOptions.class).warn(
                    "{}: no /metrics, /healthz, /readyz: the default port {} is taken ({}); give --metrics-port",
                    telemetry.role(), chosen, e.getMessage());
            return null;
        }
    }
}
