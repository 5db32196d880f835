package io.vipwatch.store;

import java.util.Objects;

import javax.sql.DataSource;

/**
 * How a {@link HistoryApi} runs.
 *
 * @param dataSource  PostgreSQL, as a role that may only read (the reader role is enough)
 * @param host        address to listen on (default 127.0.0.1)
 * @param port        port to listen on; 0 picks a free one (default 8080)
 * @param bearerToken when set, every {@code /api/} request must carry {@code Authorization: Bearer <token>};
 *                    the page and {@code /openapi.json} stay open
 */
public record ApiSettings(DataSource dataSource, String host, int port, String bearerToken) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;

    public ApiSettings {
        Objects.requireNonNull(dataSource, "dataSource");
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0 to 65535, got " + port);
        }
        if (bearerToken != null && bearerToken.isBlank()) {
            bearerToken = null;
        }
    }

    public static ApiSettings of(final DataSource dataSource) {
        return new ApiSettings(dataSource, DEFAULT_HOST, DEFAULT_PORT, null);
    }

    public ApiSettings withAddress(final String newHost, final int newPort) {
        return new ApiSettings(dataSource, newHost, newPort, bearerToken);
    }

    public ApiSettings withBearerToken(final String token) {
        return new ApiSettings(dataSource, host, port, token);
    }

    @Override
    public String toString() {
        // the token never shows in a log line
        return "ApiSettings[" + host + ":" + port + (bearerToken == null ? "" : ", bearer token set") + "]";
    }
}
