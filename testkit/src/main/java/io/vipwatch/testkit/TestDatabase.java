package io.vipwatch.testkit;

import javax.sql.DataSource;

/**
 * A PostgreSQL database that belongs to one test class, named like
 * {@code vw_historywriterit_4f2a1c}. Obtain it by declaring a parameter of this type in a class
 * annotated {@link WithPostgres}.
 *
 * @param name the database name
 * @param jdbcUrl its JDBC URL, for Flyway, Jdbi or the code under test
 * @param user the user to connect as
 * @param password that user's password (empty for the embedded server)
 * @param dataSource a non-pooling data source for it: every {@code getConnection()} opens a connection
 */
public record TestDatabase(String name, String jdbcUrl, String user, String password, DataSource dataSource) {

    @Override
    public String toString() {
        // the password stays out of test reports
        return "TestDatabase[" + name + " at " + jdbcUrl + " as " + user + "]";
    }
}
