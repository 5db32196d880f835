package io.vipwatch.store.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import picocli.CommandLine.Option;

/**
 * How a command reaches PostgreSQL. The password never comes from a flag (it would show in the
 * process list): it is read from env {@code VIPWATCH_JDBC_PASSWORD} or from the file named by
 * {@code --jdbc-password-file}.
 */
public final class JdbcOptions {

    public static final String PASSWORD_ENV = "VIPWATCH_JDBC_PASSWORD";

    @Option(names = "--jdbc-url", paramLabel = "URL", defaultValue = "${env:VIPWATCH_JDBC_URL}",
            description = "PostgreSQL JDBC URL, e.g. jdbc:postgresql://db:5432/vipwatch (env VIPWATCH_JDBC_URL).")
    String url;

    @Option(names = "--jdbc-user", paramLabel = "USER", defaultValue = "${env:VIPWATCH_JDBC_USER}",
            description = "PostgreSQL user (env VIPWATCH_JDBC_USER; default: the URL's or the driver's).")
    String user;

    @Option(names = "--jdbc-password-file", paramLabel = "FILE", defaultValue = "${env:VIPWATCH_JDBC_PASSWORD_FILE}",
            description = "File holding the PostgreSQL password (env VIPWATCH_JDBC_PASSWORD_FILE);"
                    + " else env VIPWATCH_JDBC_PASSWORD; default none.")
    Path passwordFile;

    // the process environment; tests may hand in their own
    Map<String, String> environment = System.getenv();

    public JdbcOptions() {
    }

    /** For code that sets the values itself (the demo, tests). */
    public static JdbcOptions of(final String url, final String user, final Path passwordFile) {
        final JdbcOptions options = new JdbcOptions();
        options.url = url;
        options.user = user;
        options.passwordFile = passwordFile;
        return options;
    }

    public boolean hasUrl() {
        return url != null && !url.isBlank();
    }

    /**
     * A connection pool of at most {@code poolSize} connections.
     *
     * @throws IllegalArgumentException naming the option when the URL is missing or not PostgreSQL's, or
     *                                  the password file cannot be read
     */
    public HikariDataSource dataSource(final String poolName, final int poolSize) {
        if (!hasUrl()) {
            throw new IllegalArgumentException("no database: give --jdbc-url or set VIPWATCH_JDBC_URL");
        }
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("--jdbc-url must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/db)");
        }
        final HikariConfig config = new HikariConfig();
        config.setPoolName(poolName);
        config.setJdbcUrl(url);
        if (user != null && !user.isBlank()) {
            config.setUsername(user);
        }
        final String password = password();
        if (password != null) {
            config.setPassword(password);
        }
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(Math.min(2, poolSize));
        // start even while PostgreSQL is down: the sink retries, the API answers 500 until it is back
        config.setInitializationFailTimeout(-1);
        config.setConnectionTimeout(10_000);
        return new HikariDataSource(config);
    }

    /** Closes a data source made by {@link #dataSource}. */
    public static void close(final DataSource dataSource) {
        if (dataSource instanceof HikariDataSource pool) {
            pool.close();
        }
    }

    /** The JDBC URL, or null. */
    public String url() {
        return hasUrl() ? url : null;
    }

    /** The user, or null for the URL's or the driver's. */
    public String user() {
        return user == null || user.isBlank() ? null : user;
    }

    /**
     * The password from {@code --jdbc-password-file} or env {@value #PASSWORD_ENV}, or null.
     *
     * @throws IllegalArgumentException when the password file cannot be read
     */
    public String password() {
        if (passwordFile != null) {
            try {
                return Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
            } catch (final IOException e) {
                throw new IllegalArgumentException("--jdbc-password-file " + passwordFile + ": cannot read: "
                        + e.getMessage(), e);
            }
        }
        final String fromEnv = environment.get(PASSWORD_ENV);
        return fromEnv == null || fromEnv.isEmpty() ? null : fromEnv;
    }
}
