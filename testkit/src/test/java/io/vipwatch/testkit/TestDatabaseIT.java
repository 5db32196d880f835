package io.vipwatch.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@WithPostgres
class TestDatabaseIT {

    private static TestDatabase seenInBeforeAll;

    @BeforeAll
    static void createSchema(final TestDatabase database) throws SQLException {
        seenInBeforeAll = database;
        try (Connection connection = database.dataSource().getConnection();
                Statement sql = connection.createStatement()) {
            sql.execute("CREATE TABLE vip (address inet PRIMARY KEY, holder text NOT NULL)");
        }
    }

    @Test
    void isNamedAfterTheTestClass(final TestDatabase database) {
        assertThat(database.name()).matches("vw_testdatabaseit_[0-9a-f]{6}");
        assertThat(database.jdbcUrl()).startsWith("jdbc:postgresql://").contains("/" + database.name());
        assertThat(database).isSameAs(seenInBeforeAll);
    }

    @Test
    void keepsWhatTheClassWroteThroughEitherConnectionRoute(final TestDatabase database) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
                Statement sql = connection.createStatement()) {
            sql.execute("INSERT INTO vip VALUES ('203.0.113.5', 'node-c')");
        }

        try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password());
                Statement sql = connection.createStatement();
                ResultSet row = sql.executeQuery("SELECT holder, current_database() FROM vip")) {
            assertThat(row.next()).isTrue();
            assertThat(row.getString(1)).isEqualTo("node-c");
            assertThat(row.getString(2)).isEqualTo(database.name());
        }
    }
}
