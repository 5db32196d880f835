package io.vipwatch.collector.cli;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.vipwatch.schemas.Topics;
import io.vipwatch.testkit.KafkaTestCluster;

/**
 * The lifecycle of a test running the commands against the testkit's broker and the fabric8 mock API server: the
 * class's topics (one partition) and a pool to run the commands on. A subclass carries {@code @WithKafka} and
 * {@code @EnableKubernetesMockClient(crud = true)}, which set {@link #client}.
 */
abstract class AgainstKafka {

    static KafkaTestCluster kafka;
    static Topics topics;
    static ExecutorService commands;

    KubernetesClient client;

    @BeforeAll
    static void topics(final KafkaTestCluster cluster) {
        kafka = cluster;
        topics = Topics.withPrefix(cluster.topicPrefix());
        topics.ensureCreated(cluster.admin(), 1, (short) 1);
        commands = Executors.newCachedThreadPool();
    }

    @AfterAll
    static void stopCommands() {
        commands.shutdownNow();
    }
}
