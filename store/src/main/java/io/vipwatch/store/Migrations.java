package io.vipwatch.store;

import java.util.Map;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Creates and upgrades the history schema with the Flyway migrations in
 * {@code store/src/main/resources/db/migration}. Run it as the role that should own the tables (not the
 * writer or reader role); it also creates the NOLOGIN roles {@value #WRITER_ROLE} and {@value #READER_ROLE}
 * and grants them their privileges.
 */
public final class Migrations {

    public static final String WRITER_ROLE = "vipwatch_writer";
    public static final String READER_ROLE = "vipwatch_reader";

    private Migrations() {
    }

    /** Applies every pending migration; returns how many ran. */
    public static int migrate(final DataSource dataSource) {
        return migrate(dataSource, WRITER_ROLE, READER_ROLE);
    }

    /** As {@link #migrate(DataSource)}, with other names for the writer and reader roles. */
    public static int migrate(final DataSource dataSource, final String writerRole, final String readerRole) {
        requireIdentifier("writerRole", writerRole);
        requireIdentifier("readerRole", readerRole);
        final MigrateResult result = Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .placeholders(Map.of("writerRole", writerRole, "readerRole", readerRole))
                .load()
                .migrate();
        return result.migrationsExecuted;
    }

    private static void requireIdentifier(final String name, final String value) {
        if (value == null || !value.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException(name + " must be a lower-case SQL identifier, got " + value);
        }
    }
}
