package io.vipwatch.store.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.vipwatch.schemas.policy.InputPolicy;
import io.vipwatch.store.HistoryQueries;
import io.vipwatch.store.InvalidQueryException;

/**
 * The routes of the HTTP API: JSON under {@code /api/v1}, the OpenAPI description at {@code /openapi.json},
 * the web page at {@code /}. Errors are JSON {@code {"error": ..., "parameter": ...}}: 400 for a bad
 * argument, 401 without the bearer token, 500 (logged, no detail to the client) otherwise.
 */
public final class ApiRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(ApiRoutes.class);
    private static final Duration DEFAULT_RANGE = Duration.ofHours(24);
    private static final int DEFAULT_LIMIT = 20;
    private static final int MAX_PARAMETER = 1024;
    /** The page loads its scripts, styles and data from this server only and may not be framed. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";

    private final HistoryQueries queries;
    private final byte[] token;
    private final Clock clock;
    private final byte[] openApi;

    public ApiRoutes(final HistoryQueries queries, final String bearerToken, final Clock clock) {
        this.queries = queries;
        this.token = bearerToken == null ? null : ("Bearer " + bearerToken).getBytes(StandardCharsets.UTF_8);
        this.clock = clock;
        this.openApi = resource("/io/vipwatch/store/openapi.json");
    }

    public void register(final JavalinConfig config) {
        config.routes.before(ApiRoutes::secure);
        config.routes.before(ApiRoutes::checkParameters);
        config.routes.before("/api/*", this::authorize);
        config.routes.get("/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
        config.routes.get("/healthz", ctx -> ctx.json(Map.of("status", "ok")));
        config.routes.get("/api/v1/clusters", ctx -> ctx.json(queries.clusters()));
        config.routes.get("/api/v1/fleet", ctx -> ctx.json(queries.fleet(optional(ctx, "cluster"))));
        config.routes.get("/api/v1/clusters/{cluster}/vips", ctx -> ctx.json(queries.vips(path(ctx, "cluster"))));
        config.routes.get("/api/v1/clusters/{cluster}/vips/{ip}/owner", ctx -> {
            final Instant now = clock.instant();
            ctx.json(queries.owner(path(ctx, "cluster"), path(ctx, "ip"),
                    TimeParams.parse("at", ctx.queryParam("at"), now, now)));
        });
        config.routes.get("/api/v1/clusters/{cluster}/vips/{ip}/timeline", ctx -> {
            final Instant[] range = range(ctx);
            ctx.json(queries.timeline(path(ctx, "cluster"), path(ctx, "ip"), range[0], range[1]));
        });
        config.routes.get("/api/v1/clusters/{cluster}/vips/{ip}/activity", ctx -> {
            final Instant now = clock.instant();
            ctx.json(queries.recentActivity(path(ctx, "cluster"), path(ctx, "ip"),
                    TimeParams.parse("before", ctx.queryParam("before"), now, now), 50));
        });
        config.routes.get("/api/v1/top-flaps", ctx -> {
            final Instant[] range = range(ctx);
            ctx.json(queries.topFlaps(optional(ctx, "cluster"), range[0], range[1], limit(ctx)));
        });
        config.routes.get("/api/v1/alerts/open", ctx -> ctx.json(queries.openAlerts(optional(ctx, "cluster"),
                optional(ctx, "kind"))));
        config.routes.get("/api/v1/alerts/episodes", ctx -> {
            final Instant[] range = range(ctx);
            ctx.json(queries.episodes(optional(ctx, "cluster"), optional(ctx, "kind"), range[0], range[1]));
        });
        config.routes.exception(InvalidQueryException.class, (error, ctx) -> ctx.status(HttpStatus.BAD_REQUEST)
                .json(Map.of("error", error.getMessage(), "parameter", error.parameter())));
        config.routes.exception(Exception.class, (error, ctx) -> {
            LOG.error("{} {} failed: {}", ctx.method(), ctx.path(), error.toString(), error);
            ctx.status(HttpStatus.INTERNAL_SERVER_ERROR).json(Map.of("error", "internal error, see the server log"));
        });
        // no handler answers 404 on purpose: every 404 is an unknown route, answered in the documented error shape
        config.routes.error(404, ctx -> ctx.json(Map.of("error", "no such endpoint: "
                + InputPolicy.excerpt(ctx.path()) + " (see /openapi.json)")));
    }

    /** Headers for every answer: no MIME sniffing, no framing, scripts and styles from this server only. */
    private static void secure(final Context ctx) {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    }

    /**
     * Every query and path parameter: no U+0000 (PostgreSQL text cannot hold it) and at most 1024 characters, else
     * 400 naming the parameter — before any query runs.
     */
    private static void checkParameters(final Context ctx) {
        check("path", ctx.path());
        for (final Map.Entry<String, List<String>> parameter : ctx.queryParamMap().entrySet()) {
            check(parameter.getKey(), parameter.getKey());
            for (final String value : parameter.getValue()) {
                check(parameter.getKey(), value);
            }
        }
    }

    private static void check(final String name, final String value) {
        if (value == null) {
            return;
        }
        final String parameter = name.indexOf('\0') >= 0 || name.length() > MAX_PARAMETER ? "?" : name;
        if (value.indexOf('\0') >= 0) {
            throw new InvalidQueryException(parameter, "contains U+0000");
        }
        if (value.length() > MAX_PARAMETER) {
            throw new InvalidQueryException(parameter, "is longer than " + MAX_PARAMETER + " characters");
        }
    }

    private void authorize(final Context ctx) {
        if (token == null) {
            return;
        }
        final String given = ctx.header("Authorization");
        if (given == null || !MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8))) {
            ctx.header("WWW-Authenticate", "Bearer");
            ctx.status(HttpStatus.UNAUTHORIZED).json(Map.of("error", "a bearer token is required"));
            ctx.skipRemainingHandlers();
        }
    }

    private Instant[] range(final Context ctx) {
        final Instant now = clock.instant();
        final Instant to = TimeParams.parse("to", ctx.queryParam("to"), now, now);
        final Instant from = TimeParams.parse("from", ctx.queryParam("from"), now, to.minus(DEFAULT_RANGE));
        return new Instant[] {from, to};
    }

    private static int limit(final Context ctx) {
        final String text = ctx.queryParam("limit");
        if (text == null || text.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            return Integer.parseInt(text.trim());
        } catch (final NumberFormatException e) {
            throw new InvalidQueryException("limit", InputPolicy.excerpt(text) + " is not a number");
        }
    }

    private static String path(final Context ctx, final String name) {
        final String value = ctx.pathParam(name);
        check(name, value);
        return value;
    }

    private static String optional(final Context ctx, final String name) {
        final String value = ctx.queryParam(name);
        return value == null || value.isBlank() ? null : value;
    }

    private static byte[] resource(final String path) {
        try (InputStream in = ApiRoutes.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return in.readAllBytes();
        } catch (final IOException e) {
            throw new IllegalStateException("cannot read " + path, e);
        }
    }
}
