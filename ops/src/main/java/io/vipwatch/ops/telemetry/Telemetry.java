package io.vipwatch.ops.telemetry;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * One role's metrics and readiness: a Prometheus registry with the JVM binders and the common tag
 * {@code role}, and named readiness checks; {@link TelemetryServer} serves them. Domain metrics are named
 * {@code vipwatch_*} (docs/operations.md lists them).
 */
public final class Telemetry {

    /** A readiness answer: ready, or why not. */
    public record Check(boolean ready, String reason) {
        public static Check ok() {
            return new Check(true, null);
        }

        public static Check notReady(final String reason) {
            return new Check(false, reason);
        }
    }

    private final String role;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, Supplier<Check>> checks = new ConcurrentHashMap<>();

    public Telemetry(final String role) {
        this.role = role;
        registry.config().commonTags("role", role);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        Gauge.builder("vipwatch_ready", this, t -> t.notReady().isEmpty() ? 1 : 0)
                .description("1 when /readyz answers 200 (the role does its job), else 0").register(registry);
    }

    public String role() {
        return role;
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Adds (or replaces) a readiness check; {@code /readyz} is 200 only when every check is ready. */
    public Telemetry readiness(final String name, final Supplier<Check> check) {
        checks.put(name, check);
        return this;
    }

    /** The checks that are not ready, by name, with their reasons; empty when ready. */
    public Map<String, String> notReady() {
        final Map<String, String> failing = new TreeMap<>();
        checks.forEach((name, check) -> {
            Check answer;
            try {
                answer = check.get();
            } catch (final RuntimeException e) {
                answer = Check.notReady(e.toString());
            }
            if (!answer.ready()) {
                failing.put(name, answer.reason() == null ? "not ready" : answer.reason());
            }
        });
        return failing;
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }
}
