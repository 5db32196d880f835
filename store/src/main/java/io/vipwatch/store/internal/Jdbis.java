package io.vipwatch.store.internal;

import javax.sql.DataSource;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/** The one way vipwatch builds a {@link Jdbi}: PostgreSQL types (arrays, jsonb) and SQL objects. */
public final class Jdbis {

    private Jdbis() {
    }

    public static Jdbi create(final DataSource dataSource) {
        final Jdbi jdbi = Jdbi.create(dataSource);
        jdbi.installPlugin(new PostgresPlugin());
        jdbi.installPlugin(new SqlObjectPlugin());
        return jdbi;
    }
}
