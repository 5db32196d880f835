package io.vipwatch.testkit.internal;

import io.vipwatch.embedded.PostgresServer;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one PostgreSQL server of a test JVM: the server named by {@value #URL_ENV} (with
 * {@value #USER_ENV} and {@value #PASSWORD_ENV}, default {@code postgres} / empty), else an embedded
 * PostgreSQL. Test classes get their own databases on it.
 */
public final class SharedPostgres implements AutoCloseable {

    public static final String URL_ENV = "VIPWATCH_TEST_JDBC_URL";
    public static final String USER_ENV = "VIPWATCH_TEST_JDBC_USER";
    public static final String PASSWORD_ENV = "VIPWATCH_TEST_JDBC_PASSWORD";

    private static final Logger LOG = LoggerFactory.getLogger(SharedPostgres.class);

    private final PostgresServer server;

    private SharedPostgres(final PostgresServer server) {
        this.server = server;
    }

    public static SharedPostgres start(final Map<String, String> env) {
        final String url = env.get(URL_ENV);
        final PostgresServer server;
        if (url != null && !url.isBlank()) {
            server = PostgresServer.external(url.trim(), env.getOrDefault(USER_ENV, "postgres"),
                    env.getOrDefault(PASSWORD_ENV, ""));
            LOG.info("Tests in this JVM use the external PostgreSQL at {} ({})", url.trim(), URL_ENV);
        } else {
            server = PostgresServer.embedded();
            LOG.info("Tests in this JVM use the embedded PostgreSQL at {}", server.jdbcUrl("postgres"));
        }
        return new SharedPostgres(server);
    }

    public PostgresServer server() {
        return server;
    }

    @Override
    public void close() {
        server.close();
    }
}
