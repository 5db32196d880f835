package io.vipwatch.ops.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import io.vipwatch.schemas.avro.Alert;
import io.vipwatch.schemas.avro.AlertKind;
import io.vipwatch.schemas.avro.AlertState;
import io.vipwatch.schemas.avro.Severity;
import io.vipwatch.schemas.serde.AvroSerdes;

class TelemetryServerTest {

    static {
        AvroSerdes.alert(); // trusts the generated Avro classes
    }

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(final TelemetryServer server, final String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesMetricsHealthAndReadinessWithItsReason() throws Exception {
        final Telemetry telemetry = new Telemetry("test-role");
        final AtomicBoolean synced = new AtomicBoolean();
        telemetry.readiness("informers", () -> synced.get() ? Telemetry.Check.ok()
                : Telemetry.Check.notReady("informers not synced yet"));
        final AlertMetrics alerts = new AlertMetrics(telemetry.registry());
        try (TelemetryServer server = TelemetryServer.start(telemetry, "127.0.0.1", 0)) {
            assertThat(get(server, "/healthz").statusCode()).isEqualTo(200);
            final HttpResponse<String> notReady = get(server, "/readyz");
            assertThat(notReady.statusCode()).isEqualTo(503);
            assertThat(notReady.body()).contains("\"informers\":\"informers not synced yet\"");
            assertThat(get(server, "/metrics").body()).contains("vipwatch_ready{role=\"test-role\"} 0.0");

            synced.set(true);
            alerts.record(alert(AlertState.OPENED));
            assertThat(get(server, "/readyz").statusCode()).isEqualTo(200);
            final HttpResponse<String> metrics = get(server, "/metrics");
            assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
            assertThat(metrics.body()).contains("vipwatch_ready{role=\"test-role\"} 1.0",
                    "vipwatch_alerts_open{kind=\"FOREIGN_BINDING\",role=\"test-role\",severity=\"critical\"} 1.0",
                    "vipwatch_alert_transitions_total{kind=\"FOREIGN_BINDING\",role=\"test-role\",state=\"OPENED\"} 1.0",
                    "jvm_memory_used_bytes");
            alerts.record(alert(AlertState.RESOLVED));
            assertThat(get(server, "/metrics").body())
                    .contains("vipwatch_alerts_open{kind=\"FOREIGN_BINDING\",role=\"test-role\",severity=\"critical\"} 0.0");
            if (Promtool.available()) {
                assertThat(Promtool.checkMetrics(get(server, "/metrics").body())).isEmpty();
            }
        }
    }

    private static Alert alert(final AlertState state) {
        return Alert.newBuilder().setEventId("e/" + state).setState(state).setKind(AlertKind.FOREIGN_BINDING)
                .setSeverity(Severity.CRITICAL).setCluster("c1").setVip("198.51.100.10").setAt(1).setOpenedAt(1)
                .setFingerprint("c1/198.51.100.10/FOREIGN_BINDING").setEpisode("e")
                .setNodes(List.of()).setEvidence(List.of()).build();
    }
}
