package io.vipwatch.ops.telemetry;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vipwatch.schemas.avro.Alert;
import io.vipwatch.schemas.avro.AlertKind;
import io.vipwatch.schemas.avro.AlertState;
import io.vipwatch.schemas.avro.Severity;

/**
 * {@code vipwatch_alerts_open{kind,severity}} and {@code vipwatch_alert_transitions_total{state,kind}} from the
 * alert transitions a role reads (the forwarder, the demo): each fingerprint's latest state decides what is open.
 */
public final class AlertMetrics {

    private final MeterRegistry registry;
    private final Map<String, AlertState> latest = new HashMap<>();
    private final Map<String, String> keyOf = new HashMap<>();
    private final Map<String, int[]> open = new HashMap<>();

    public AlertMetrics(final MeterRegistry registry) {
        this.registry = registry;
        for (final AlertKind kind : AlertKind.values()) {
            for (final Severity severity : Severity.values()) {
                final int[] count = new int[1];
                open.put(key(kind, severity), count);
                Gauge.builder("vipwatch_alerts_open", this, m -> m.read(count))
                        .description("Alerts open, by kind and severity, as last read from the alert topic")
                        .tags("kind", kind.name(), "severity", severity.name().toLowerCase(Locale.ROOT))
                        .register(registry);
            }
        }
    }

    /** Counts one transition and updates what is open. */
    public synchronized void record(final Alert alert) {
        final String key = key(alert.getKind(), alert.getSeverity());
        final AlertState before = latest.put(alert.getFingerprint(), alert.getState());
        final String keyBefore = keyOf.put(alert.getFingerprint(), key);
        if (before != null && before != AlertState.RESOLVED) {
            open.get(keyBefore)[0]--;
        }
        if (alert.getState() == AlertState.RESOLVED) {
            latest.remove(alert.getFingerprint());
            keyOf.remove(alert.getFingerprint());
        } else {
            open.get(key)[0]++;
        }
        // counted after the open gauge moved: a scrape that sees the transition sees its effect
        Counter.builder("vipwatch_alert_transitions_total")
                .description("Alert transitions read, by state and kind")
                .tags("state", alert.getState().name(), "kind", alert.getKind().name())
                .register(registry).increment();
    }

    private synchronized int read(final int[] count) {
        return count[0];
    }

    private static String key(final AlertKind kind, final Severity severity) {
        return kind.name() + "/" + severity.name();
    }
}
