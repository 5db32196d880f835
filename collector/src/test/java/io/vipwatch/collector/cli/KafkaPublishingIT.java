package io.vipwatch.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.vipwatch.collector.testing.ClusterObjects;
import io.vipwatch.collector.testing.Kubeconfigs;
import io.vipwatch.collector.testing.L2Segment;
import io.vipwatch.collector.testing.NetworkNamespace;
import io.vipwatch.collector.testing.VipStateRecords;
import io.vipwatch.schemas.Topics;
import io.vipwatch.schemas.event.Heartbeat;
import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.schemas.event.NodeAddresses;
import io.vipwatch.schemas.event.WireObservation;
import io.vipwatch.schemas.event.NodeAddresses.Address;
import io.vipwatch.schemas.event.NodeFacts;
import io.vipwatch.schemas.event.ServiceChange;
import io.vipwatch.schemas.serde.InputCodec;
import io.vipwatch.testkit.WithKafka;
import picocli.CommandLine;

/**
 * Both commands as they run in production, publishing to a real Kafka broker (the testkit's): {@code collect}
 * reading the fabric8 mock API server (CRUD mode, the accepted stand-in for an API server) through a kubeconfig
 * file and context, {@code node-agent} reading a real network namespace made by the test.
 */
@WithKafka
@EnableKubernetesMockClient(crud = true)
class KafkaPublishingIT extends AgainstKafka {

    static final Duration WAIT = Duration.ofSeconds(30);

    private Future<Integer> running;

    @AfterEach
    void stopCommand() throws Exception {
        if (running != null && !running.isDone()) {
            running.cancel(true);
        }
    }

    @Test
    void collectPublishesServicesNodeFactsTombstonesAndHeartbeatsToKafka() throws Exception {
        final Path kubeconfig = Kubeconfigs.forMockServerNotCurrent(client,
                Path.of(System.getProperty("java.io.tmpdir")));
        running = run(new CollectCommand(), "--cluster", "c1", "--kubeconfig", kubeconfig.toString(), "--context",
                "mock", "--bootstrap-servers", kafka.bootstrapServers(), "--topic-prefix", kafka.topicPrefix(),
                "--heartbeat-interval", "200ms");

        final Service web = client.services().inNamespace("default")
                .resource(ClusterObjects.loadBalancerService("default", "web")).create();
        client.nodes().resource(ClusterObjects.node("cp-1", Map.of("node-role.kubernetes.io/control-plane", "")))
                .create();

        final ConsumerRecord<String, byte[]> service = read(topics.services(), 1).get(0);
        assertThat(service.key()).isEqualTo("c1/default/web");
        assertThat(decode(Topics.SERVICES, service)).isInstanceOfSatisfying(ServiceChange.class, e -> {
            assertThat(e.op()).isEqualTo(ServiceChange.Op.UPSERT);
            assertThat(e.uid()).isEqualTo(web.getMetadata().getUid());
            assertThat(service.timestamp()).as("the record time is observedAt").isEqualTo(e.observedAt());
        });

        final ConsumerRecord<String, byte[]> facts = read(topics.nodes(), 1).get(0);
        assertThat(facts.key()).isEqualTo("c1/cp-1");
        assertThat(decode(Topics.NODES, facts)).isInstanceOfSatisfying(NodeFacts.class,
                e -> assertThat(e.roles()).containsExactly("control-plane"));

        client.nodes().withName("cp-1").delete();
        final ConsumerRecord<String, byte[]> nodesTombstone = read(topics.nodes(), 2).get(1);
        assertThat(nodesTombstone.key()).isEqualTo("c1/cp-1");
        assertThat(nodesTombstone.value()).as("a tombstone on the compacted nodes topic").isNull();
        final ConsumerRecord<String, byte[]> addressesTombstone = read(topics.nodeAddresses(), "c1/cp-1", 1).get(0);
        assertThat(addressesTombstone.key()).isEqualTo("c1/cp-1");
        assertThat(addressesTombstone.value()).as("a tombstone on the compacted node-addresses topic").isNull();

        final ConsumerRecord<String, byte[]> heartbeat = read(topics.heartbeats(), "c1/collector/c1", 1).get(0);
        assertThat(heartbeat.key()).isEqualTo("c1/collector/c1");
        assertThat(decode(Topics.HEARTBEATS, heartbeat)).isEqualTo(new Heartbeat("c1",
                heartbeat.timestamp(), "collector/c1", ((Heartbeat) decode(Topics.HEARTBEATS, heartbeat)).eventId(),
                null, 200));

        running.cancel(true);
    }

    @Test
    void nodeAgentPublishesSnapshotsToKafkaAndResendsThemAfterARestart() throws Exception {
        try (NetworkNamespace namespace = NetworkNamespace.create()) {
            final String[] args = {"--node", "n1", "--cluster", "c2", "--ip-command",
                "ip netns exec " + namespace.name() + " ip", "--address-source", "ip",
                "--bootstrap-servers", kafka.bootstrapServers(), "--topic-prefix", kafka.topicPrefix()};
            running = run(new NodeAgentCommand(), args);
            assertThat(snapshot(read(topics.nodeAddresses(), "c2/n1", 1).get(0)).addresses()).isEmpty();

            namespace.addAddress("203.0.113.10/32", "va");
            final List<Address> withVip = List.of(new Address("va", "203.0.113.10", 32));
            assertThat(snapshot(read(topics.nodeAddresses(), "c2/n1", 2).get(1)).addresses()).isEqualTo(withVip);

            running.cancel(true);
            Poll.stopped(running);
            running = run(new NodeAgentCommand(), args);
            assertThat(snapshot(read(topics.nodeAddresses(), "c2/n1", 3).get(2)).addresses())
                    .as("the restarted agent's first snapshot").isEqualTo(withVip);
            assertThat(read(topics.heartbeats(), "c2/node-agent/c2/n1", 2)).hasSize(2);
        }
    }

    @Test
    void aProbingAgentLearnsTheVipsFromVipStateAndPublishesWhoAnsweredToTheWireTopic() throws Exception {
        L2Segment.assumeArping();
        try (L2Segment lan = L2Segment.create("w1", "w2")) {
            lan.bind("w1", "192.0.2.5/24");
            lan.bind("w2", "192.0.2.6/24");
            lan.bind("w2", "192.0.2.10/32"); // the VIP, bound on another node of the segment
            final String w1 = lan.host("w1").name();
            kafka.produce(List.of(VipStateRecords.state(topics.vipState(), "c3", "192.0.2.10", true),
                    VipStateRecords.state(topics.vipState(), "c4", "192.0.2.11", true)),
                    new StringSerializer(), new ByteArraySerializer());
            running = run(new NodeAgentCommand(), "--node", "n1", "--cluster", "c3", "--ip-command",
                    "ip netns exec " + w1 + " ip", "--address-source", "ip", "--probe",
                    "--probe-interval", "1s", "--arping-command", "ip netns exec " + w1 + " arping",
                    "--bootstrap-servers", kafka.bootstrapServers(), "--topic-prefix", kafka.topicPrefix());
            final WireObservation seen = (WireObservation) decode(Topics.WIRE,
                    read(topics.wire(), "c3/192.0.2.10", 1).get(0));
            assertThat(seen.macs()).containsExactly(lan.mac("w2"));
            assertThat(seen.iface()).isEqualTo("eth0");
            assertThat(seen.node()).isEqualTo("n1");
            assertThat(snapshot(read(topics.nodeAddresses(), "c3/n1", 1).get(0)).links())
                    .containsExactly(new NodeAddresses.Link("eth0", lan.mac("w1")));
        }
    }

    private Future<Integer> run(final Callable<Integer> command, final String... args) {
        final StringWriter err = new StringWriter();
        return commands.submit(() -> {
            final CommandLine line = new CommandLine(command);
            line.setErr(new PrintWriter(err, true));
            final int exit = line.execute(args);
            if (exit != 0) {
                throw new AssertionError("exit " + exit + ": " + err);
            }
            return exit;
        });
    }

    private static List<ConsumerRecord<String, byte[]>> read(final String topic, final int count) {
        return kafka.consumeAtLeast(topic, new StringDeserializer(), new ByteArrayDeserializer(), count, WAIT);
    }

    private static List<ConsumerRecord<String, byte[]>> read(final String topic, final String key, final int count) {
        return kafka.consumeUntil(topic, new StringDeserializer(), new ByteArrayDeserializer(),
                records -> records.stream().filter(r -> key.equals(r.key())).count() >= count, WAIT)
                .stream().filter(r -> key.equals(r.key())).toList();
    }

    private static InputEvent decode(final String baseTopic, final ConsumerRecord<String, byte[]> record) {
        return InputCodec.decode(baseTopic, record.value());
    }

    private static NodeAddresses snapshot(final ConsumerRecord<String, byte[]> record) {
        return (NodeAddresses) decode(Topics.NODE_ADDRESSES, record);
    }

    /** Waiting for a cancelled command's thread to finish. */
    static final class Poll {
        static void stopped(final Future<Integer> command) {
            io.vipwatch.testkit.Poll.until("the command to stop", WAIT, command::isDone);
        }
    }
}
