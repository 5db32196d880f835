package io.vipwatch.store.cli;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vipwatch.schemas.policy.Redaction;
import io.vipwatch.store.History;
import io.vipwatch.store.HistoryApi;
import io.vipwatch.store.HistoryQueries;
import io.vipwatch.store.InvalidQueryException;

/** Where {@code vipwatch history} gets its answers: the HTTP API or PostgreSQL directly. Same answers either way. */
interface HistorySource extends AutoCloseable {

    History.Ownership owner(String cluster, String ip, Instant at);

    History.Timeline timeline(String cluster, String ip, Instant from, Instant to);

    List<History.FlapCount> topFlaps(String cluster, Instant from, Instant to, int limit);

    List<History.AlertEpisode> openAlerts(String cluster, String kind);

    History.Episodes episodes(String cluster, String kind, Instant from, Instant to);

    List<History.ClusterSummary> fleet(String cluster);

    @Override
    void close();

    /** Straight from PostgreSQL. */
    final class Jdbc implements HistorySource {

        private final DataSource dataSource;
        private final HistoryQueries queries;

        Jdbc(final DataSource dataSource) {
            this.dataSource = dataSource;
            this.queries = HistoryQueries.of(dataSource);
        }

        @Override
        public History.Ownership owner(final String cluster, final String ip, final Instant at) {
            return queries.owner(cluster, ip, at);
        }

        @Override
        public History.Timeline timeline(final String cluster, final String ip, final Instant from, final Instant to) {
            return queries.timeline(cluster, ip, from, to);
        }

        @Override
        public List<History.FlapCount> topFlaps(final String cluster, final Instant from, final Instant to,
                final int limit) {
            return queries.topFlaps(cluster, from, to, limit);
        }

        @Override
        public List<History.AlertEpisode> openAlerts(final String cluster, final String kind) {
            return queries.openAlerts(cluster, kind);
        }

        @Override
        public History.Episodes episodes(final String cluster, final String kind, final Instant from, final Instant to) {
            return queries.episodes(cluster, kind, from, to);
        }

        @Override
        public List<History.ClusterSummary> fleet(final String cluster) {
            return queries.fleet(cluster);
        }

        @Override
        public void close() {
            JdbcOptions.close(dataSource);
        }
    }

    /** Through the HTTP API; a 400 comes back as {@link InvalidQueryException}. */
    final class Api implements HistorySource {

        private static final ObjectMapper JSON = HistoryApi.objectMapper();

        private final URI base;
        private final String token;
        private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

        Api(final URI base, final String token) {
            final String text = base.toString();
            this.base = URI.create(text.endsWith("/") ? text : text + "/");
            this.token = token;
        }

        @Override
        public History.Ownership owner(final String cluster, final String ip, final Instant at) {
            return get(vip(cluster, ip) + "/owner?at=" + at, new TypeReference<>() { });
        }

        @Override
        public History.Timeline timeline(final String cluster, final String ip, final Instant from, final Instant to) {
            return get(vip(cluster, ip) + "/timeline?from=" + from + "&to=" + to, new TypeReference<>() { });
        }

        @Override
        public List<History.FlapCount> topFlaps(final String cluster, final Instant from, final Instant to,
                final int limit) {
            return get("api/v1/top-flaps?from=" + from + "&to=" + to + "&limit=" + limit + param("cluster", cluster),
                    new TypeReference<>() { });
        }

        @Override
        public List<History.AlertEpisode> openAlerts(final String cluster, final String kind) {
            return get("api/v1/alerts/open?" + param("cluster", cluster) + param("kind", kind), new TypeReference<>() { });
        }

        @Override
        public History.Episodes episodes(final String cluster, final String kind, final Instant from, final Instant to) {
            return get("api/v1/alerts/episodes?from=" + from + "&to=" + to + param("cluster", cluster)
                    + param("kind", kind), new TypeReference<>() { });
        }

        @Override
        public List<History.ClusterSummary> fleet(final String cluster) {
            return get("api/v1/fleet?" + param("cluster", cluster), new TypeReference<>() { });
        }

        @Override
        public void close() {
            // HttpClient needs no closing on Java 17
        }

        private static String vip(final String cluster, final String ip) {
            return "api/v1/clusters/" + encode(cluster) + "/vips/" + encode(ip);
        }

        private static String param(final String name, final String value) {
            return value == null || value.isBlank() ? "" : "&" + name + "=" + encode(value);
        }

        private static String encode(final String value) {
            return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8).replace("+", "%20");
        }

        private <T> T get(final String path, final TypeReference<T> type) {
            final HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                    .timeout(Duration.ofSeconds(30)).header("Accept", "application/json");
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            final HttpResponse<String> response;
            try {
                response = client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (final IOException e) {
                throw new IllegalStateException("cannot reach the API at " + Redaction.url(base.toString()) + ": " + Redaction.message(String.valueOf(e)), e);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            try {
                if (response.statusCode() == 400) {
                    final JsonNode error = JSON.readTree(response.body());
                    final String message = error.path("error").asText("bad request");
                    final String parameter = error.path("parameter").asText("request");
                    throw new InvalidQueryException(parameter, message.startsWith(parameter + ": ")
                            ? message.substring(parameter.length() + 2) : message);
                }
                if (response.statusCode() == 401) {
                    throw new IllegalStateException("the API at " + Redaction.url(base.toString()) + " needs a token: set VIPWATCH_API_TOKEN");
                }
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("the API at " + Redaction.url(base.toString()) + " answered " + response.statusCode() + ": "
                            + response.body());
                }
                return JSON.readValue(response.body(), type);
            } catch (final IOException e) {
                throw new IllegalStateException("unreadable answer from " + Redaction.url(base.toString()) + ": " + e.getMessage(), e);
            }
        }
    }
}
