package io.vipwatch.ops.alertmanager;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

/** An in-process stand-in for Alertmanager's POST /api/v2/alerts that can fail, answer 5xx, or be down. */
final class FakeAlertmanager implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger failNext = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();
    private volatile int failStatus = 503;
    private final int port;
    private HttpServer server;

    FakeAlertmanager() throws IOException {
        this(0);
    }

    private FakeAlertmanager(final int port) throws IOException {
        this.server = serve(port);
        this.port = server.getAddress().getPort();
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Answers {@code status} to the next {@code count} posts. */
    void failNext(final int count, final int status) {
        failStatus = status;
        failNext.set(count);
    }

    int failures() {
        return failures.get();
    }

    /** Stops listening: connections are refused. */
    synchronized void down() {
        server.stop(0);
        server = null;
    }

    /** Listens again on the same port. */
    synchronized void up() throws IOException {
        server = serve(port);
    }

    /** Every alert posted so far, in order. */
    List<JsonNode> alerts() {
        return new ArrayList<>(received);
    }

    /** The alerts posted with this alertname label. */
    List<JsonNode> alerts(final String alertname) {
        return received.stream().filter(alert -> alertname.equals(alert.path("labels").path("alertname").asText())).toList();
    }

    /** The alerts posted with this episode annotation. */
    List<JsonNode> episode(final String episode) {
        return received.stream().filter(alert -> episode.equals(alert.path("annotations").path("episode").asText())).toList();
    }

    private HttpServer serve(final int listenPort) throws IOException {
        final HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", listenPort), 0);
        http.createContext("/api/v2/alerts", exchange -> {
            final byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            int status = 200;
            if (!"POST".equals(exchange.getRequestMethod())) {
                status = 405;
            } else if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                status = failStatus;
                failures.incrementAndGet();
            } else {
                JSON.readTree(body).forEach(received::add);
            }
            final byte[] answer = (status == 200 ? "" : "{\"error\":\"failing on purpose\"}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        http.start();
        return http;
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
        }
    }
}
