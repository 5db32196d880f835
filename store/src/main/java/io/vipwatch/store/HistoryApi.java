package io.vipwatch.store;

import java.net.URI;
import java.time.Clock;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import io.vipwatch.ops.telemetry.Telemetry;
import io.vipwatch.ops.telemetry.TelemetryServer;
import io.vipwatch.store.internal.ApiRoutes;

/**
 * The HTTP API and web page over the history: JSON endpoints for every query of {@link HistoryQueries}
 * under {@code /api/v1}, the OpenAPI description at {@code /openapi.json}, the fleet page at {@code /} and
 * the VIP page at {@code /vip.html?cluster=C&ip=X}. Works with the read-only database role.
 *
 * <pre>{@code
 * try (HistoryApi api = HistoryApi.start(ApiSettings.of(readerDataSource).withAddress("0.0.0.0", 8080))) {
 *     System.out.println("history at " + api.uri());
 * }
 * }</pre>
 */
public final class HistoryApi implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HistoryApi.class);

    private final Javalin server;
    private final String host;

    private HistoryApi(final Javalin server, final String host) {
        this.server = server;
        this.host = host;
    }

    /** Starts serving and returns once the port is open. */
    public static HistoryApi start(final ApiSettings settings) {
        return start(settings, config -> { });
    }

    /**
     * Starts serving with more routes (e.g. {@code /metrics} and {@code /readyz} of the role) and returns once
     * the port is open.
     */
    public static HistoryApi start(final ApiSettings settings, final Consumer<JavalinConfig> moreRoutes) {
        final ApiRoutes routes = new ApiRoutes(HistoryQueries.of(settings.dataSource()), settings.bearerToken(),
                Clock.systemUTC());
        final Javalin server = Javalin.create(config -> {
            config.jsonMapper(new JavalinJackson(objectMapper(), false));
            config.staticFiles.add("/io/vipwatch/store/web", Location.CLASSPATH);
            config.jetty.host = settings.host();
            config.jetty.port = settings.port();
            config.startup.showJavalinBanner = false;
            routes.register(config);
            moreRoutes.accept(config);
        });
        server.start();
        final HistoryApi api = new HistoryApi(server, settings.host());
        LOG.info("history API and page at {} ({})", api.uri(),
                settings.bearerToken() == null ? "no token required" : "bearer token required for /api/");
        return api;
    }

    /** {@code /metrics} and {@code /readyz} of a role on its HTTP port ({@code /healthz} is the API's own). */
    public static Consumer<JavalinConfig> telemetryRoutes(
            final Telemetry telemetry) {
        return config -> {
            for (final String path : new String[] {"/metrics", "/readyz"}) {
                config.routes.get(path, ctx -> {
                    final TelemetryServer.Answer answer =
                            TelemetryServer.answer(telemetry, path);
                    ctx.status(answer.status()).contentType(answer.contentType()).result(answer.body());
                });
            }
        };
    }

    /** The JSON mapper of the API: times as RFC 3339 text. */
    public static ObjectMapper objectMapper() {
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }

    public int port() {
        return server.port();
    }

    /** The base URI, e.g. {@code http://127.0.0.1:8080/}. */
    public URI uri() {
        final String shown = "0.0.0.0".equals(host) || "::".equals(host) ? "127.0.0.1" : host;
        return URI.create("http://" + (shown.contains(":") ? "[" + shown + "]" : shown) + ":" + port() + "/");
    }

    @Override
    public void close() {
        server.stop();
    }
}
