package io.vipwatch.ops.alertmanager;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Locale;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vipwatch.schemas.avro.Alert;
import io.vipwatch.schemas.avro.AlertState;

/**
 * How a vipwatch alert looks in Alertmanager's API v2 ({@code POST /api/v2/alerts}): one Alertmanager alert per
 * alert fingerprint, its labels naming what is wrong and where, its annotations the evidence, its
 * {@code generatorURL} the VIP's page.
 */
public final class AlertmanagerPayload {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String pageUrl;
    private final Duration resendInterval;

    /**
     * @param pageUrl        base URL of the vipwatch page ({@code serve}), or null for no {@code generatorURL}
     * @param resendInterval how often open alerts are re-posted; an open alert's {@code endsAt} is now + 4 × this
     */
    public AlertmanagerPayload(final String pageUrl, final Duration resendInterval) {
        this.pageUrl = pageUrl == null || pageUrl.isBlank() ? null
                : pageUrl.endsWith("/") ? pageUrl : pageUrl + "/";
        this.resendInterval = resendInterval;
    }

    /** The JSON array of one post: each alert's latest transition, stamped at {@code now}. */
    public String toJson(final Collection<Alert> alerts, final Instant now) {
        final ArrayNode array = JSON.createArrayNode();
        alerts.forEach(alert -> array.add(toNode(alert, now)));
        return array.toString();
    }

    /** One Alertmanager alert. */
    public ObjectNode toNode(final Alert alert, final Instant now) {
        final ObjectNode node = JSON.createObjectNode();
        final ObjectNode labels = node.putObject("labels");
        labels.put("alertname", alert.getKind().name());
        labels.put("severity", alert.getSeverity().name().toLowerCase(Locale.ROOT));
        labels.put("cluster", alert.getCluster());
        if (alert.getVip() != null) {
            labels.put("vip", alert.getVip());
        }
        if (alert.getService() != null) {
            labels.put("service", alert.getService());
        }
        // stable for (cluster, vip, kind); keeps alerts without a VIP (a silent collector or agent) apart
        labels.put("fingerprint", alert.getFingerprint());
        final ObjectNode annotations = node.putObject("annotations");
        annotations.put("summary", summary(alert));
        if (alert.getHint() != null) {
            annotations.put("description", alert.getHint());
        }
        annotations.put("nodes", String.join(",", alert.getNodes()));
        annotations.put("episode", alert.getEpisode());
        node.put("startsAt", Instant.ofEpochMilli(alert.getOpenedAt()).toString());
        node.put("endsAt", endsAt(alert, now).toString());
        final String url = generatorUrl(alert);
        if (url != null) {
            node.put("generatorURL", url);
        }
        return node;
    }

    /** RESOLVED: the resolve time; open: now + 4 × the resend interval, so a lost forwarder lets it expire. */
    public Instant endsAt(final Alert alert, final Instant now) {
        if (alert.getState() == AlertState.RESOLVED) {
            // Alertmanager treats endsAt <= startsAt as unset: a resolve in the same millisecond still resolves
            return Instant.ofEpochMilli(Math.max(alert.getAt(), alert.getOpenedAt() + 1));
        }
        return now.plus(resendInterval.multipliedBy(4));
    }

    /** The VIP's page (the cluster's page for an alert without a VIP), or null without {@code --page-url}. */
    public String generatorUrl(final Alert alert) {
        if (pageUrl == null) {
            return null;
        }
        final StringBuilder url = new StringBuilder(pageUrl).append("vip.html?cluster=").append(encode(alert.getCluster()));
        if (alert.getVip() != null) {
            url.append("&ip=").append(encode(alert.getVip()));
        }
        return url.toString();
    }

    static String summary(final Alert alert) {
        final StringBuilder summary = new StringBuilder(120).append(alert.getKind().name());
        if (alert.getVip() != null) {
            summary.append(' ').append(alert.getVip());
        }
        summary.append(" in cluster ").append(alert.getCluster());
        if (alert.getService() != null) {
            summary.append(" (service ").append(alert.getService()).append(')');
        }
        if (!alert.getNodes().isEmpty()) {
            summary.append(" on ").append(String.join(", ", alert.getNodes()));
        }
        return summary.toString();
    }

    private static String encode(final String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
