package io.vipwatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.vipwatch.collector.publish.PublishedState;
import io.vipwatch.collector.testing.ClusterObjects;
import io.vipwatch.collector.testing.Kubeconfigs;
import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.schemas.event.NodeAddresses;
import io.vipwatch.schemas.recording.RecordingEntry;
import io.vipwatch.schemas.recording.RecordingReader;
import io.vipwatch.testkit.Poll;
import picocli.CommandLine;

/**
 * The false page of issue "Trust under faults", end to end: while {@code vipwatch collect} is down, a Service is
 * deleted and MetalLB gives its IP to a new Service on another node, another Service fails over, a Node is deleted.
 * {@code vipwatch analyze} over the recordings of the two runs (with {@code --state-file}) reports nothing, as over
 * the recording of a collector that watched the whole time, and both end in the same published state; without the
 * state file the restart leaves the stale speakers behind and analyze pages DUPLICATE_RESPONDERS. The collectors run
 * in process against the fabric8 mock API server in CRUD mode (the accepted stand-in for a Kubernetes API server).
 */
@EnableKubernetesMockClient(crud = true)
class CollectorRestartIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    static ExecutorService commands;

    KubernetesClient client;

    @TempDir
    Path dir;

    @BeforeAll
    static void pool() {
        commands = Executors.newCachedThreadPool();
    }

    @AfterAll
    static void stopPool() {
        commands.shutdownNow();
    }

    @Test
    void twoRunsWithAStateFileAnalyzeLikeOneThatWatchedAndWithoutOneTheyPageFalsely() throws Exception {
        ClusterObjects.installMetalLbL2(client, "worker-1", "worker-2", "worker-3");
        service("web", "198.51.100.10", "worker-1");
        service("api", "198.51.100.11", "worker-1");
        service("db", "198.51.100.12", "worker-3");
        service("kept", "198.51.100.13", "worker-2");
        final Path kubeconfig = Kubeconfigs.forMockServer(client, dir);
        final Path state = dir.resolve("c1.state.jsonl");

        final Collect live = collect(kubeconfig, dir.resolve("live.jsonl"), null);
        final Collect first = collect(kubeconfig, dir.resolve("run1.jsonl"), state);
        first.stop();

        // while the collector is down
        client.services().inNamespace("default").withName("web").delete();
        statusesOf("web").delete();
        service("shop", "198.51.100.10", "worker-2"); // MetalLB hands the freed IP to a new Service
        statusesOf("api").delete();
        status("worker-2", "api"); // failover: the status object deleted and re-created on another node
        client.nodes().withName("worker-3").delete();
        statusesOf("db").delete();
        status("worker-1", "db");
        Poll.until("the watching collector saw every change", WAIT,
                () -> read(dir.resolve("live.jsonl")).contains("\"deleted\":true")
                        && read(dir.resolve("live.jsonl")).contains("\"name\":\"db\",\"announcer\":\"METALLB_L2\","
                                + "\"node\":\"worker-1\""));

        final Collect second = collect(kubeconfig, dir.resolve("run2.jsonl"), state);
        final Collect forgetful = collect(kubeconfig, dir.resolve("run2-no-state.jsonl"), null);
        second.stop();
        forgetful.stop();
        live.stop();

        final Path restarted = concat("restarted.jsonl", dir.resolve("run1.jsonl"), dir.resolve("run2.jsonl"));
        final Path withoutState = concat("without-state.jsonl", dir.resolve("run1.jsonl"),
                dir.resolve("run2-no-state.jsonl"));
        final Path watched = concat("watched.jsonl", dir.resolve("live.jsonl"));

        assertThat(analyze(watched)).as("a collector that watched the whole time").isEmpty();
        assertThat(analyze(restarted)).as("two runs with a state file").isEmpty();
        final PublishedState afterRestart = finalState(restarted);
        final PublishedState afterWatching = finalState(watched);
        assertThat(afterRestart.entries().keySet()).as("the same objects published")
                .isEqualTo(afterWatching.entries().keySet());
        afterWatching.entries().forEach((identity, event) -> assertThat(
                PublishedState.sameFacts(event, afterRestart.get(identity))).as("the same facts of %s", identity)
                .isTrue());
        assertThat(analyze(withoutState)).as("a restart without memory leaves stale speakers behind")
                .extracting(a -> a.get("kind").asText() + " " + a.get("vip").asText())
                .contains("DUPLICATE_RESPONDERS 198.51.100.10", "DUPLICATE_RESPONDERS 198.51.100.11",
                        "DUPLICATE_RESPONDERS 198.51.100.12");
    }

    /** A running {@code vipwatch collect}, in process. */
    private record Collect(Future<Integer> running, StringWriter err) {
        /** As SIGTERM would: the command closes the collector, flushes and remembers, and exits 0. */
        void stop() throws Exception {
            running.cancel(true);
            Poll.until("collect to stop", WAIT, running::isDone);
        }
    }

    /** Starts {@code collect --output FILE [--state-file STATE]} and waits for its first heartbeat. */
    private Collect collect(final Path kubeconfig, final Path output, final Path stateFile) {
        final List<String> args = new ArrayList<>(List.of("collect", "--cluster", "c1", "--kubeconfig",
                kubeconfig.toString(), "--output", output.toString(), "--heartbeat-interval", "200ms"));
        if (stateFile != null) {
            args.addAll(List.of("--state-file", stateFile.toString()));
        }
        final StringWriter err = new StringWriter();
        final Future<Integer> running = commands.submit(() -> {
            final CommandLine line = Main.commandLine();
            line.setErr(new PrintWriter(err, true));
            return line.execute(args.toArray(String[]::new));
        });
        final long heartbeats = count(output, "\"heartbeat\"");
        Poll.until("a heartbeat of " + output.getFileName() + " (after its first list)", WAIT, () -> {
            assertThat(running.isDone()).as("collect stopped early: %s", err).isFalse();
            return count(output, "\"heartbeat\"") > heartbeats;
        });
        return new Collect(running, err);
    }

    /**
     * The recordings one after the other, then a minute in which the collector keeps sending heartbeats, so every
     * grace period runs out.
     */
    private Path concat(final String name, final Path... recordings) throws IOException {
        final StringBuilder all = new StringBuilder();
        for (final Path recording : recordings) {
            all.append(read(recording));
        }
        final List<InputEvent> events = events(all.toString());
        final long last = events.get(events.size() - 1).observedAt();
        for (int s = 10; s <= 60; s += 10) {
            all.append("{\"type\":\"heartbeat\",\"cluster\":\"c1\",\"observedAt\":\"")
                    .append(Instant.ofEpochMilli(last + s * 1000L)).append("\",\"source\":\"collector/c1\","
                            + "\"intervalMs\":200}\n");
        }
        final Path file = dir.resolve(name);
        Files.writeString(file, all.toString());
        return file;
    }

    /** {@code vipwatch analyze FILE}: the alert transitions it prints. */
    private static List<JsonNode> analyze(final Path recording) throws IOException {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CommandLine line = Main.commandLine();
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        assertThat(line.execute("analyze", "--silence-after", "5m", recording.toString())).as(err.toString())
                .isZero();
        final List<JsonNode> alerts = new ArrayList<>();
        for (final String text : out.toString().lines().toList()) {
            alerts.add(JSON.readTree(text));
        }
        return alerts;
    }

    /** The objects a recording leaves published, each with the last event about it. */
    private static PublishedState finalState(final Path recording) throws IOException {
        final PublishedState state = new PublishedState();
        for (final InputEvent event : events(read(recording))) {
            if (event instanceof NodeAddresses addresses && addresses.deleted()) {
                state.removeNode(addresses.node());
            } else if (PublishedState.identity(event) != null) {
                state.apply(event);
            }
        }
        return state;
    }

    private static List<InputEvent> events(final String text) throws IOException {
        final List<InputEvent> events = new ArrayList<>();
        try (RecordingReader reader = new RecordingReader(new StringReader(text), "recording")) {
            RecordingEntry entry;
            while ((entry = reader.next()) != null) {
                assertThat(entry.isError()).as("%s", entry.isError() ? entry.error().getMessage() : "").isFalse();
                events.add(entry.event());
            }
        }
        return events;
    }

    private static long count(final Path file, final String text) {
        return read(file).lines().filter(line -> line.contains(text)).count();
    }

    private static String read(final Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (final IOException e) {
            return "";
        }
    }

    /** A LoadBalancer Service with an IP, announced by MetalLB's speaker on {@code node}. */
    private void service(final String name, final String ip, final String node) {
        client.services().inNamespace("default").resource(ClusterObjects.loadBalancerService("default", name))
                .create();
        ClusterObjects.setIngress(client, "default", name, ip);
        status(node, name);
    }

    private void status(final String node, final String service) {
        ClusterObjects.createL2Status(client, node, "default", service, List.of());
    }

    private FilterWatchListDeletable<GenericKubernetesResource, GenericKubernetesResourceList,
            Resource<GenericKubernetesResource>> statusesOf(final String service) {
        return ClusterObjects.l2Statuses(client).withLabel("metallb.io/service-name", service);
    }
}
