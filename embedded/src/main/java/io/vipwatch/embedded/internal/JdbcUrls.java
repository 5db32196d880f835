package io.vipwatch.embedded.internal;

import java.util.Objects;

/** Rewrites the database of a PostgreSQL JDBC URL. */
public final class JdbcUrls {

    private static final String PREFIX = "jdbc:postgresql:";

    private JdbcUrls() {
    }

    /**
     * Returns {@code url} naming {@code database} instead of its own database, keeping hosts, port
     * and parameters: {@code jdbc:postgresql://db:5432/app?ssl=true} with {@code other} gives
     * {@code jdbc:postgresql://db:5432/other?ssl=true}.
     */
    public static String withDatabase(final String url, final String database) {
        Objects.requireNonNull(database, "database");
        if (!url.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL (jdbc:postgresql:...): " + url);
        }
        final int queryStart = url.indexOf('?');
        final String query = queryStart < 0 ? "" : url.substring(queryStart);
        final String location = url.substring(PREFIX.length(), queryStart < 0 ? url.length() : queryStart);
        if (!location.startsWith("//")) {
            // jdbc:postgresql:database — local host, default port
            return PREFIX + database + query;
        }
        final int pathStart = location.indexOf('/', 2);
        final String hosts = pathStart < 0 ? location : location.substring(0, pathStart);
        return PREFIX + hosts + "/" + database + query;
    }

    /** The database a URL names; empty if it names none (the driver then uses the user name). */
    public static String database(final String url) {
        if (!url.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL (jdbc:postgresql:...): " + url);
        }
        final int queryStart = url.indexOf('?');
        final String location = url.substring(PREFIX.length(), queryStart < 0 ? url.length() : queryStart);
        if (!location.startsWith("//")) {
            return location;
        }
        final int pathStart = location.indexOf('/', 2);
        return pathStart < 0 ? "" : location.substring(pathStart + 1);
    }
}
