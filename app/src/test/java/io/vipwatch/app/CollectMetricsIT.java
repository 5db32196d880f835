package io.vipwatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.vipwatch.collector.testing.ClusterObjects;
import io.vipwatch.collector.testing.Kubeconfigs;
import io.vipwatch.testkit.Poll;

import picocli.CommandLine;

/**
 * {@code vipwatch collect --metrics-port PORT}: {@code vipwatch_watch_status{cluster,resource}} is 1 for each resource
 * it watches and 0 for one that is not installed, beside its input events; against the fabric8 mock API server.
 */
@EnableKubernetesMockClient(crud = true)
class CollectMetricsIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    KubernetesClient client;

    @TempDir
    Path dir;

    @Test
    void theWatchStatusOfEachResourceIsScraped() throws Exception {
        ClusterObjects.installMetalLbL2(client, "worker-1");
        final Path kubeconfig = Kubeconfigs.forMockServer(client, dir);
        final int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        final ExecutorService pool = Executors.newSingleThreadExecutor();
        final StringWriter err = new StringWriter();
        try {
            final Future<Integer> running = pool.submit(() -> {
                final CommandLine line = Main.commandLine();
                line.setErr(new PrintWriter(err, true));
                return line.execute("collect", "--cluster", "c1", "--kubeconfig", kubeconfig.toString(),
                        "--output", dir.resolve("out.jsonl").toString(), "--heartbeat-interval", "200ms",
                        "--metrics-port", Integer.toString(port));
            });
            final String metrics = Poll.until("collect's /metrics with the watch status", WAIT, () -> {
                assertThat(running.isDone()).as("collect stopped early: %s", err).isFalse();
                try {
                    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                            HttpResponse.BodyHandlers.ofString()).body();
                } catch (final IOException e) {
                    return "";
                }
            }, body -> body.contains("vipwatch_watch_status{cluster=\"c1\",resource=\"nodes\",role=\"collect\"} 1.0")
                    && body.contains("vipwatch_input_events_total{role=\"collect\",type=\"heartbeat\"}"));
            assertThat(metrics).contains(
                    "vipwatch_watch_status{cluster=\"c1\",resource=\"services\",role=\"collect\"} 1.0",
                    "vipwatch_publish_seconds_count{");
            // BGP statuses are not installed in this cluster (only the L2 CRD is)
            assertThat(metrics).containsPattern("vipwatch_watch_status\\{cluster=\"c1\",resource=\"servicebgpstatuses.metallb.io\",role=\"collect\"} 0.0");
            running.cancel(true);
            Poll.until("collect to stop", WAIT, running::isDone);
        } finally {
            pool.shutdownNow();
        }
    }
}
