package io.vipwatch.ops.telemetry;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * {@code GET /metrics} (Prometheus text format), {@code GET /healthz} (the process is alive) and
 * {@code GET /readyz} (200 when every readiness check passes, else 503 with a JSON reason) on one port.
 */
public final class TelemetryServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TelemetryServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Prometheus text exposition format 0.0.4. */
    public static final String METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final Telemetry telemetry;

    private TelemetryServer(final HttpServer server, final Telemetry telemetry) {
        this.server = server;
        this.telemetry = telemetry;
    }

    /** Listens on {@code host:port} (port 0: a free one). */
    public static TelemetryServer start(final Telemetry telemetry, final String host, final int port) {
        final HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 16);
        } catch (final IOException e) {
            throw new IllegalArgumentException("--metrics-port " + port + ": cannot listen on " + host + ":" + port
                    + ": " + e.getMessage(), e);
        }
        final TelemetryServer telemetryServer = new TelemetryServer(server, telemetry);
        server.createContext("/metrics", exchange -> telemetryServer.answer(exchange, Endpoint.METRICS));
        server.createContext("/healthz", exchange -> telemetryServer.answer(exchange, Endpoint.HEALTH));
        server.createContext("/readyz", exchange -> telemetryServer.answer(exchange, Endpoint.READY));
        server.setExecutor(Executors.newFixedThreadPool(2, runnable -> {
            final Thread thread = new Thread(runnable, "telemetry-http");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
        LOG.info("{}: metrics and health at http://{}:{}/metrics, /healthz, /readyz", telemetry.role(), host,
                server.getAddress().getPort());
        return telemetryServer;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** What each endpoint answers: status, content type and body. */
    public record Answer(int status, String contentType, String body) {
    }

    enum Endpoint { METRICS, HEALTH, READY }

    /** The answer of one endpoint; also used by HTTP servers of their own (serve, demo) to mount the same paths. */
    public static Answer answer(final Telemetry telemetry, final String path) {
        return switch (path) {
            case "/metrics" -> new Answer(200, METRICS_CONTENT_TYPE, telemetry.scrape());
            case "/healthz" -> new Answer(200, "application/json", "{\"status\":\"alive\",\"role\":\"" + telemetry.role() + "\"}");
            case "/readyz" -> {
                final Map<String, String> failing = telemetry.notReady();
                final Map<String, Object> body = failing.isEmpty()
                        ? Map.of("status", "ready", "role", telemetry.role())
                        : Map.of("status", "not ready", "role", telemetry.role(), "reasons", failing);
                try {
                    yield new Answer(failing.isEmpty() ? 200 : 503, "application/json", JSON.writeValueAsString(body));
                } catch (final IOException e) {
                    yield new Answer(500, "text/plain", e.toString());
                }
            }
            default -> new Answer(404, "text/plain", "not found");
        };
    }

    private void answer(final HttpExchange exchange, final Endpoint endpoint) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            final String path = switch (endpoint) {
                case METRICS -> "/metrics";
                case HEALTH -> "/healthz";
                case READY -> "/readyz";
            };
            final Answer answer = answer(telemetry, path);
            final byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", answer.contentType());
            exchange.sendResponseHeaders(answer.status(), "HEAD".equals(exchange.getRequestMethod()) ? -1 : body.length);
            if (!"HEAD".equals(exchange.getRequestMethod())) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
