package io.vipwatch.ops.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * deploy/grafana/vipwatch.json: a Grafana dashboard whose every PromQL expression graphs metrics the roles export.
 * The names are kept here, by role; DemoLifeIT checks the demo's (streams, store, alerts, JVM) in a live scrape.
 */
class GrafanaDashboardTest {

    private static final Path DASHBOARD = Path.of("..", "deploy", "grafana", "vipwatch.json").toAbsolutePath().normalize();

    /** The series names the roles export (docs/operations.md), with Micrometer's suffixes. */
    static final Set<String> EXPORTED = Set.of(
            // every role
            "up", "vipwatch_ready", "jvm_memory_used_bytes", "jvm_memory_max_bytes", "process_cpu_usage",
            // collect, node-agent
            "vipwatch_input_events_total", "vipwatch_publish_seconds", "vipwatch_publish_seconds_count",
            "vipwatch_publish_seconds_sum", "vipwatch_last_publish_age_seconds", "vipwatch_watch_status",
            // streams, demo
            "vipwatch_streams_running", "kafka_stream_thread_process_rate", "kafka_consumer_fetch_manager_records_lag_max",
            // streams, store
            "vipwatch_dead_letters_total",
            // store
            "vipwatch_sink_records_total", "vipwatch_sink_rows_total", "vipwatch_sink_failed_writes_total",
            "vipwatch_sink_commit_seconds", "vipwatch_sink_commit_seconds_count", "vipwatch_sink_commit_seconds_sum",
            "vipwatch_sink_commit_seconds_max", "vipwatch_sink_batch_records", "vipwatch_sink_batch_records_count",
            "vipwatch_sink_batch_records_sum", "vipwatch_sink_batch_records_max", "vipwatch_heartbeat_age_seconds",
            // alertmanager, demo
            "vipwatch_alerts_open", "vipwatch_alert_transitions_total", "vipwatch_alertmanager_posts_total",
            "vipwatch_alertmanager_pending");

    private static final Set<String> PROMQL_WORDS = Set.of("sum", "min", "max", "avg", "count", "rate", "irate",
            "increase", "delta", "deriv", "by", "without", "on", "ignoring", "group_left", "group_right", "and", "or",
            "unless", "offset", "bool", "histogram_quantile", "topk", "bottomk", "abs", "clamp_min", "clamp_max",
            "time", "vector", "scalar", "max_over_time", "min_over_time", "avg_over_time", "label_replace");

    @Test
    void everyExpressionGraphsExportedMetrics() throws Exception {
        final JsonNode dashboard = new ObjectMapper().readTree(Files.readString(DASHBOARD));
        assertThat(dashboard.path("title").asText()).isEqualTo("vipwatch");
        final List<String> expressions = new ArrayList<>();
        dashboard.path("panels").forEach(panel -> panel.path("targets").forEach(target -> {
            assertThat(target.path("expr").asText()).as("a target of %s", panel.path("title")).isNotBlank();
            expressions.add(target.path("expr").asText());
        }));
        assertThat(expressions).hasSizeGreaterThan(10);
        final Set<String> graphed = new TreeSet<>();
        for (final String expression : expressions) {
            final Set<String> names = metricNames(expression);
            assertThat(names).as("metrics of %s", expression).isNotEmpty();
            assertThat(EXPORTED).as("metrics of %s", expression).containsAll(names);
            graphed.addAll(names);
        }
        // what the issue asks the dashboard to show
        assertThat(graphed).contains("vipwatch_alerts_open", "vipwatch_alert_transitions_total",
                "vipwatch_dead_letters_total", "vipwatch_heartbeat_age_seconds", "vipwatch_sink_rows_total",
                "vipwatch_sink_commit_seconds", "kafka_consumer_fetch_manager_records_lag_max",
                "kafka_stream_thread_process_rate", "jvm_memory_used_bytes");
    }

    @Test
    void metricNamesLeaveOutFunctionsLabelsAndDurations() {
        assertThat(metricNames("sum by (role, reason) (increase(vipwatch_dead_letters_total{role=~\"a|b\"}[10m])) > 0"))
                .containsExactly("vipwatch_dead_letters_total");
    }

    /** The metric names of a PromQL expression: identifiers that are no function, keyword, label or duration. */
    static Set<String> metricNames(final String expression) {
        final String bare = expression
                .replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")        // strings
                .replaceAll("\\{[^}]*}", "")                           // label matchers
                .replaceAll("\\[[^]]*]", "")                           // ranges
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", "");
        final Set<String> names = new TreeSet<>();
        final Matcher matcher = Pattern.compile("(?<![\\w.])([a-zA-Z_:][a-zA-Z0-9_:]*)").matcher(bare);
        while (matcher.find()) {
            if (!PROMQL_WORDS.contains(matcher.group(1))) {
                names.add(matcher.group(1));
            }
        }
        return names;
    }
}
