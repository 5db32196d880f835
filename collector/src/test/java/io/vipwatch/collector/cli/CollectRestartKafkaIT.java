package io.vipwatch.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.vipwatch.collector.testing.CapturedEvents;
import io.vipwatch.collector.testing.ClusterObjects;
import io.vipwatch.collector.testing.Kubeconfigs;
import io.vipwatch.schemas.serde.InputCodec;
import io.vipwatch.testkit.Poll;
import io.vipwatch.testkit.WithKafka;
import picocli.CommandLine;

/**
 * {@code vipwatch collect} publishing to a real broker (the testkit's) remembers what it published in the compacted
 * topic {@code vipwatch.collector-state.v1}: restarted after the cluster changed, it publishes exactly the changes,
 * deletions first; restarted again without changes, nothing. The fabric8 mock API server in CRUD mode is the
 * accepted stand-in for the Kubernetes API server.
 */
@WithKafka
@EnableKubernetesMockClient(crud = true)
class CollectRestartKafkaIT extends AgainstKafka {

    static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void aRestartedCollectorPublishesTheChangesOfItsAbsenceFromItsMemoryInKafka() throws Exception {
        ClusterObjects.installMetalLbL2(client, "worker-1", "worker-2", "worker-3");
        service("kept", "198.51.100.80");
        l2Status("worker-1", "kept");
        service("gone", "198.51.100.81");
        l2Status("worker-1", "gone");

        runUntilHeartbeats(1);
        assertThat(published(topics.services())).containsExactlyInAnyOrder(
                "UPSERT default/kept [198.51.100.80]", "UPSERT default/gone [198.51.100.81]");
        assertThat(published(topics.announcements())).containsExactlyInAnyOrder(
                "ANNOUNCE default/kept METALLB_L2 worker-1", "ANNOUNCE default/gone METALLB_L2 worker-1");
        assertThat(published(topics.nodes())).hasSize(3);

        // while stopped: a Service deleted, a failover by delete and re-create of the status object, a Node deleted
        client.services().inNamespace("default").withName("gone").delete();
        ClusterObjects.l2Statuses(client).withLabel("metallb.io/service-name", "gone").delete();
        ClusterObjects.l2Statuses(client).withLabel("metallb.io/service-name", "kept").delete();
        l2Status("worker-2", "kept");
        client.nodes().withName("worker-3").delete();

        runUntilHeartbeats(2);
        assertThat(published(topics.services())).endsWith("DELETE default/gone [198.51.100.81]").hasSize(3);
        assertThat(published(topics.announcements()).subList(2, 5)).containsExactly(
                "WITHDRAW default/gone METALLB_L2 worker-1",
                "WITHDRAW default/kept METALLB_L2 worker-1",
                "ANNOUNCE default/kept METALLB_L2 worker-2");
        assertThat(published(topics.nodes())).endsWith("tombstone c1/worker-3").hasSize(4);
        assertThat(published(topics.nodeAddresses())).containsExactly("tombstone c1/worker-3");

        runUntilHeartbeats(3);
        assertThat(published(topics.services())).as("nothing for what is unchanged").hasSize(3);
        assertThat(published(topics.announcements())).hasSize(5);
        assertThat(published(topics.nodes())).hasSize(4);
    }

    /** Runs {@code collect} until its heartbeats (which follow its first list) reach {@code runs} runs, then stops it. */
    private void runUntilHeartbeats(final int runs) throws Exception {
        final StringWriter err = new StringWriter();
        final Future<Integer> running = commands.submit(() -> {
            final CommandLine line = new CommandLine(new CollectCommand());
            line.setErr(new PrintWriter(err, true));
            return line.execute("--cluster", "c1", "--kubeconfig", Kubeconfigs.forMockServer(client, dir).toString(),
                    "--bootstrap-servers", kafka.bootstrapServers(), "--topic-prefix", kafka.topicPrefix(),
                    "--heartbeat-interval", "200ms");
        });
        final long before = endOffset(topics.heartbeats());
        Poll.until("heartbeats of run " + runs, WAIT, () -> {
            if (running.isDone()) {
                throw new AssertionError("collect stopped: exit " + running.get() + ": " + err);
            }
            return endOffset(topics.heartbeats()) > before;
        }, Boolean::booleanValue);
        running.cancel(true); // as a SIGTERM: RoleRunner closes the collector, which flushes and remembers
        Poll.until("collect to stop", WAIT, running::isDone);
    }

    /** Every record of a one-partition topic, described ({@code tombstone KEY} for a null value). */
    private static List<String> published(final String topic) throws Exception {
        final long end = endOffset(topic);
        final String base = topic.substring(topics.prefix().length());
        final List<ConsumerRecord<String, byte[]>> records = end == 0 ? List.of()
                : kafka.consumeAtLeast(topic, new StringDeserializer(), new ByteArrayDeserializer(), (int) end, WAIT);
        return records.stream().map(r -> r.value() == null ? "tombstone " + r.key()
                : CapturedEvents.describe(InputCodec.decode(base, r.value()))).toList();
    }

    private static long endOffset(final String topic) throws Exception {
        final TopicPartition partition = new TopicPartition(topic, 0);
        return kafka.admin().listOffsets(Map.of(partition, OffsetSpec.latest())).all().get(30, TimeUnit.SECONDS)
                .get(partition).offset();
    }

    private void service(final String name, final String ip) {
        client.services().inNamespace("default").resource(ClusterObjects.loadBalancerService("default", name))
                .create();
        ClusterObjects.setIngress(client, "default", name, ip);
    }

    private void l2Status(final String node, final String service) {
        ClusterObjects.createL2Status(client, node, "default", service, List.of());
    }
}
