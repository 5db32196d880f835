package io.vipwatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.vipwatch.ops.alertmanager.AlertForwarder;
import io.vipwatch.schemas.avro.Alert;
import io.vipwatch.schemas.avro.AlertKind;
import io.vipwatch.schemas.avro.AlertState;
import io.vipwatch.schemas.avro.Severity;
import io.vipwatch.schemas.serde.AvroSerdes;
import io.vipwatch.testkit.KafkaTestCluster;
import io.vipwatch.testkit.Poll;
import io.vipwatch.testkit.TestDatabase;
import io.vipwatch.testkit.WithKafka;
import io.vipwatch.testkit.WithPostgres;
import picocli.CommandLine;

/**
 * vipwatch's alerts reach a real Alertmanager (Debian's {@code prometheus-alertmanager}; skipped where it is not
 * installed — {@code .ci/run} installs it) and come out of its webhook receiver as firing, then resolved.
 */
@WithKafka
@WithPostgres
class AlertmanagerDeliveryIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @BeforeAll
    static void alertmanagerInstalled() {
        Assumptions.assumeTrue(RealAlertmanager.available(), RealAlertmanager.BINARY
                + " is not installed (apt-get install prometheus-alertmanager): real-Alertmanager tests skipped");
    }

    @Test
    void theDemosForeignBindingFiresAndResolvesInAlertmanager(final KafkaTestCluster kafka, final TestDatabase db,
                                                             @TempDir final Path dir) throws Exception {
        try (RealAlertmanager alertmanager = new RealAlertmanager(dir)) {
            final StringWriter out = new StringWriter();
            final CommandLine demo = Main.commandLine();
            demo.setOut(new PrintWriter(out, true));
            final int exit = demo.execute("demo", "--once", "--speed", "10", "--http-port", "0",
                    "--alertmanager-url", alertmanager.url(),
                    "--bootstrap-servers", kafka.bootstrapServers(), "--topic-prefix", kafka.topicPrefix(),
                    "--jdbc-url", db.jdbcUrl(), "--jdbc-user", db.user(), "--cluster", "demo-am");
            assertThat(exit).as("demo exit code; output:%n%s", out).isZero();

            final JsonNode firing = Poll.until("a firing FOREIGN_BINDING notification", WAIT,
                    () -> notified(alertmanager, "firing", "demo-am"), found -> found != null);
            assertThat(firing.get("labels").get("alertname").asText()).isEqualTo("FOREIGN_BINDING");
            assertThat(firing.get("labels").get("severity").asText()).isEqualTo("critical");
            assertThat(firing.get("labels").get("vip").asText()).isEqualTo("198.51.100.10");
            assertThat(firing.get("labels").get("service").asText()).isEqualTo("default/web");
            assertThat(firing.get("annotations").get("description").asText()).contains("svc_enable");
            assertThat(firing.get("annotations").get("nodes").asText()).contains("cp-1");
            assertThat(firing.get("annotations").get("episode").asText()).isNotBlank();
            assertThat(firing.get("generatorURL").asText()).contains("vip.html?cluster=demo-am&ip=198.51.100.10");

            final JsonNode resolved = Poll.until("a resolved FOREIGN_BINDING notification", WAIT,
                    () -> notified(alertmanager, "resolved", "demo-am"), found -> found != null);
            assertThat(resolved.get("labels")).isEqualTo(firing.get("labels"));
        }
    }

    @Test
    void anAlertOpenedWhileAlertmanagerWasDownIsNotifiedWhenItComesBack(final KafkaTestCluster kafka,
                                                                       @TempDir final Path dir) throws Exception {
        final String topic = kafka.topic("vipwatch.alerts.v1-outage");
        kafka.createTopics(List.of(topic), 1);
        final Properties client = new Properties();
        client.put("bootstrap.servers", kafka.bootstrapServers());
        try (RealAlertmanager alertmanager = new RealAlertmanager(dir)) {
            alertmanager.stop();
            try (AlertForwarder forwarder = AlertForwarder.start(AlertForwarder.Settings.of(client, topic,
                            List.of(alertmanager.url())).withGroupId(kafka.topicPrefix() + "outage")
                    .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(1)))) {
                final long opened = System.currentTimeMillis();
                publish(kafka, topic, alert(AlertState.OPENED, opened, opened));
                Poll.until("posts refused while Alertmanager is down", WAIT, () -> forwarder.posts("retried") >= 2);

                alertmanager.start();
                final JsonNode firing = Poll.until("the firing notification after Alertmanager came back", WAIT,
                        () -> notified(alertmanager, "firing", "outage"), found -> found != null);
                assertThat(firing.get("labels").get("alertname").asText()).isEqualTo("FOREIGN_BINDING");

                publish(kafka, topic, alert(AlertState.RESOLVED, opened, System.currentTimeMillis()));
                Poll.until("the resolved notification", WAIT, () -> notified(alertmanager, "resolved", "outage"),
                        found -> found != null);
            }
        }
    }

    private static JsonNode notified(final RealAlertmanager alertmanager, final String status, final String cluster) {
        return alertmanager.notifiedAlerts().stream()
                .filter(alert -> status.equals(alert.path("status").asText()))
                .filter(alert -> cluster.equals(alert.path("labels").path("cluster").asText()))
                .filter(alert -> "FOREIGN_BINDING".equals(alert.path("labels").path("alertname").asText()))
                .findFirst().orElse(null);
    }

    private static Alert alert(final AlertState state, final long openedAt, final long at) {
        return Alert.newBuilder().setEventId("outage-1/" + state).setState(state).setKind(AlertKind.FOREIGN_BINDING)
                .setSeverity(Severity.CRITICAL).setCluster("outage").setVip("198.51.100.10").setService("default/web")
                .setNodes(List.of("cp-1")).setAt(at).setOpenedAt(openedAt)
                .setFingerprint("outage/198.51.100.10/FOREIGN_BINDING").setEpisode("outage-1").setHint(null)
                .setEvidence(List.of()).build();
    }

    private static void publish(final KafkaTestCluster kafka, final String topic, final Alert alert) {
        kafka.produce(List.of(new ProducerRecord<>(topic, alert.getFingerprint(), alert)), new StringSerializer(),
                AvroSerdes.alert());
    }
}
