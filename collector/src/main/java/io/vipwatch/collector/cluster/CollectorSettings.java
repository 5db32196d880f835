package io.vipwatch.collector.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Configuration of {@code vipwatch collect}, built from flags and {@code VIPWATCH_*} environment variables by
 * {@code CollectCommand} (each key documented there and in docs/collectors.md).
 *
 * @param cluster fleet-unique cluster id ({@code --cluster}, VIPWATCH_CLUSTER; required)
 * @param kubeconfig kubeconfig file; null: in-cluster service account, else $KUBECONFIG or ~/.kube/config
 * @param context kubeconfig context; null: the current one
 * @param heartbeatInterval time between heartbeats (default 10 s)
 * @param resyncInterval informer resync, re-delivering cached objects (default 5 min; publishes nothing unless
 *        something was missed)
 * @param relistInterval time between full relists from the API server (default 30 min; zero disables)
 * @param kubeVipNamespace namespace of kube-vip's pods (default kube-system)
 * @param eventFieldSelector server-side field selector of the Events fallback, {@code key=value[,key=value]}
 *        (default {@code reason=nodeAssigned}; empty: none, every Event of the cluster is read and filtered here)
 */
public record CollectorSettings(String cluster, Path kubeconfig, String context, Duration heartbeatInterval,
        Duration resyncInterval, Duration relistInterval, String kubeVipNamespace, String eventFieldSelector) {

    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_RESYNC = Duration.ofMinutes(5);
    public static final Duration DEFAULT_RELIST = Duration.ofMinutes(30);
    public static final String DEFAULT_KUBE_VIP_NAMESPACE = "kube-system";
    public static final String DEFAULT_EVENT_FIELD_SELECTOR = "reason=nodeAssigned";

    /** @throws IllegalArgumentException naming the flag of the first value that is missing or out of range */
    public CollectorSettings {
        if (cluster == null || cluster.isBlank()) {
            throw new IllegalArgumentException("missing --cluster (env VIPWATCH_CLUSTER): the fleet-unique cluster id");
        }
        if (cluster.contains("/")) {
            throw new IllegalArgumentException("--cluster '" + cluster + "' must not contain '/' (it is part of keys)");
        }
        requirePositive(heartbeatInterval, "--heartbeat-interval");
        requirePositive(resyncInterval, "--resync-interval");
        if (relistInterval == null || relistInterval.isNegative()) {
            throw new IllegalArgumentException("--relist-interval must be zero (off) or positive, got " + relistInterval);
        }
        if (kubeVipNamespace == null || kubeVipNamespace.isBlank()) {
            throw new IllegalArgumentException("--kube-vip-namespace must not be empty");
        }
        eventFieldSelector = eventFieldSelector == null ? "" : eventFieldSelector.trim();
        eventFields(eventFieldSelector);
    }

    /**
     * The Events fallback's field selector as a map.
     *
     * @throws IllegalArgumentException naming {@code --event-field-selector} when a term is not {@code key=value}
     */
    public Map<String, String> eventFields() {
        return eventFields(eventFieldSelector);
    }

    private static Map<String, String> eventFields(final String selector) {
        final Map<String, String> fields = new LinkedHashMap<>();
        if (selector == null || selector.isBlank()) {
            return fields;
        }
        for (final String term : selector.split(",")) {
            final int eq = term.indexOf('=');
            if (eq <= 0 || term.indexOf("!=") >= 0) {
                throw new IllegalArgumentException("--event-field-selector '" + selector + "': '" + term.trim()
                        + "' is not key=value");
            }
            fields.put(term.substring(0, eq).trim(), term.substring(eq + 1).trim());
        }
        return fields;
    }

    /** Defaults for everything but the cluster id. */
    public static CollectorSettings defaults(final String cluster) {
        return new CollectorSettings(cluster, null, null, DEFAULT_HEARTBEAT, DEFAULT_RESYNC, DEFAULT_RELIST,
                DEFAULT_KUBE_VIP_NAMESPACE, DEFAULT_EVENT_FIELD_SELECTOR);
    }

    public CollectorSettings withHeartbeatInterval(final Duration interval) {
        return new CollectorSettings(cluster, kubeconfig, context, interval, resyncInterval, relistInterval,
                kubeVipNamespace, eventFieldSelector);
    }

    public CollectorSettings withResyncInterval(final Duration interval) {
        return new CollectorSettings(cluster, kubeconfig, context, heartbeatInterval, interval, relistInterval,
                kubeVipNamespace, eventFieldSelector);
    }

    public CollectorSettings withEventFieldSelector(final String selector) {
        return new CollectorSettings(cluster, kubeconfig, context, heartbeatInterval, resyncInterval, relistInterval,
                kubeVipNamespace, selector);
    }

    static void requirePositive(final Duration value, final String flag) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(flag + " must be positive, got " + value);
        }
    }
}
