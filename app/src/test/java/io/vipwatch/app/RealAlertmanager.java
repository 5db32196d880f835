package io.vipwatch.app;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import io.vipwatch.testkit.Poll;

/**
 * A real Alertmanager (Debian's {@code prometheus-alertmanager}) on a free port, with a webhook receiver this
 * test runs ({@code send_resolved: true}, group wait and interval 1 s); it can be stopped and started again.
 */
final class RealAlertmanager implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/bin/prometheus-alertmanager");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final int port;
    private final HttpServer webhook;
    private final List<JsonNode> notifications = new CopyOnWriteArrayList<>();
    private Process process;

    static boolean available() {
        return Files.isExecutable(BINARY);
    }

    RealAlertmanager(final Path dir) throws IOException, InterruptedException {
        this.dir = Files.createDirectories(dir);
        this.webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                notifications.add(JSON.readTree(in.readAllBytes()));
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        webhook.start();
        this.port = freePort();
        Files.writeString(dir.resolve("alertmanager.yml"), """
                route:
                  receiver: webhook
                  group_by: ['alertname', 'cluster', 'vip']
                  group_wait: 1s
                  group_interval: 1s
                  repeat_interval: 1h
                receivers:
                  - name: webhook
                    webhook_configs:
                      - url: http://127.0.0.1:%d/
                        send_resolved: true
                """.formatted(webhook.getAddress().getPort()));
        start();
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Every alert of every notification, each with the notification's status (firing or resolved). */
    List<JsonNode> notifiedAlerts() {
        final List<JsonNode> alerts = new ArrayList<>();
        notifications.forEach(notification -> notification.path("alerts").forEach(alerts::add));
        return alerts;
    }

    synchronized void start() throws IOException, InterruptedException {
        process = new ProcessBuilder(BINARY.toString(),
                "--config.file=" + dir.resolve("alertmanager.yml"),
                "--storage.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--cluster.listen-address=",
                "--log.level=warn")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("alertmanager.log").toFile())
                .start();
        Poll.until("Alertmanager ready on " + url(), Duration.ofSeconds(30), this::ready);
    }

    /** SIGTERM, and wait for it to exit. */
    synchronized void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
            process = null;
        }
    }

    private boolean ready() {
        try {
            final HttpURLConnection connection = (HttpURLConnection) URI.create(url() + "/-/ready").toURL().openConnection();
            connection.setConnectTimeout(500);
            connection.setReadTimeout(500);
            return connection.getResponseCode() == 200;
        } catch (final IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
        webhook.stop(0);
    }
}
