package io.vipwatch.ops.alertmanager;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * One Alertmanager (an HA pair has two): the fingerprints it has not yet been sent in their latest state, and
 * the back-off after a failed post.
 */
final class AlertmanagerTarget {

    /** What became of one post. */
    enum Outcome {
        /** 2xx: Alertmanager took the alerts. */
        SENT,
        /** down, timed out, 5xx or 429: kept and retried with back-off. */
        RETRIED,
        /** another 4xx: Alertmanager refuses these alerts as invalid; retrying cannot help. */
        REJECTED
    }

    private final URI endpoint;
    private final String display;
    private final HttpClient http;
    private final Duration minBackoff;
    private final Duration maxBackoff;
    final Set<String> pending = new LinkedHashSet<>();
    private Duration backoff;
    private long nextAttemptNanos;
    private volatile String lastError;

    AlertmanagerTarget(final String url, final HttpClient http, final Duration minBackoff, final Duration maxBackoff) {
        final String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.endpoint = URI.create(base.endsWith("/api/v2/alerts") ? base : base + "/api/v2/alerts");
        this.display = redact(endpoint);
        this.http = http;
        this.minBackoff = minBackoff;
        this.maxBackoff = maxBackoff;
        this.backoff = minBackoff;
    }

    /** The endpoint without any user:password part, for logs and metrics. */
    String display() {
        return display;
    }

    String lastError() {
        return lastError;
    }

    boolean due(final long nowNanos) {
        return !pending.isEmpty() && nowNanos - nextAttemptNanos >= 0;
    }

    Outcome post(final String json, final long nowNanos) throws InterruptedException {
        final HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
        Outcome outcome;
        try {
            final HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            final int status = response.statusCode();
            if (status / 100 == 2) {
                outcome = Outcome.SENT;
                lastError = null;
            } else {
                outcome = status >= 500 || status == 429 || status == 408 ? Outcome.RETRIED : Outcome.REJECTED;
                lastError = "HTTP " + status + ": " + abbreviate(response.body());
            }
        } catch (final IOException e) {
            outcome = Outcome.RETRIED;
            lastError = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        if (outcome == Outcome.RETRIED) {
            nextAttemptNanos = nowNanos + backoff.toNanos();
            backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
        } else {
            backoff = minBackoff;
            nextAttemptNanos = nowNanos;
        }
        return outcome;
    }

    private static String abbreviate(final String body) {
        final String line = body == null ? "" : body.strip().replaceAll("\\s+", " ");
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }

    private static String redact(final URI uri) {
        if (uri.getUserInfo() == null) {
            return uri.toString();
        }
        return uri.getScheme() + "://***@" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + uri.getRawPath();
    }
}
