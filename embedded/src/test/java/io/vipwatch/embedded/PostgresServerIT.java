package io.vipwatch.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PostgresServerIT {

    private static PostgresServer postgres;

    @BeforeAll
    static void startPostgres() {
        postgres = PostgresServer.embedded();
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void createsADatabaseThatStoresAndReturnsRows() throws SQLException {
        postgres.createDatabase("vw_rows");

        final DataSource dataSource = postgres.dataSource("vw_rows");
        try (Connection connection = dataSource.getConnection(); Statement sql = connection.createStatement()) {
            sql.execute("CREATE TABLE vip (address inet PRIMARY KEY, holder text NOT NULL)");
            sql.execute("INSERT INTO vip VALUES ('192.0.2.10', 'node-a')");
            try (ResultSet row = sql.executeQuery("SELECT holder, current_database() FROM vip WHERE address = '192.0.2.10'")) {
                assertThat(row.next()).isTrue();
                assertThat(row.getString(1)).isEqualTo("node-a");
                assertThat(row.getString(2)).isEqualTo("vw_rows");
            }
        }
    }

    @Test
    void creatingAnExistingDatabaseKeepsItsData() throws SQLException {
        postgres.createDatabase("vw_twice");
        execute(postgres.dataSource("vw_twice"), "CREATE TABLE marker (id int)");

        postgres.createDatabase("vw_twice");

        assertThat(count(postgres.dataSource("vw_twice"), "SELECT count(*) FROM marker")).isZero();
    }

    @Test
    void dropsADatabaseEvenWithOpenSessions() throws SQLException {
        postgres.createDatabase("vw_dropped");
        try (Connection open = postgres.dataSource("vw_dropped").getConnection()) {
            postgres.dropDatabase("vw_dropped");
        }

        assertThat(count(postgres.dataSource("postgres"),
                "SELECT count(*) FROM pg_database WHERE datname = 'vw_dropped'")).isZero();
    }

    @Test
    void anExternalServerIsUsedButNotStoppedOnClose() throws SQLException {
        try (PostgresServer external = PostgresServer.external(postgres.jdbcUrl("postgres"), postgres.user(), postgres.password())) {
            external.createDatabase("vw_external");
            execute(external.dataSource("vw_external"), "CREATE TABLE t (id int)");
        }

        assertThat(count(postgres.dataSource("vw_external"), "SELECT count(*) FROM t")).isZero();
    }

    @Test
    void rejectsANameThatIsNotAPlainIdentifier() {
        assertThatThrownBy(() -> postgres.createDatabase("x; DROP DATABASE postgres"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static void execute(final DataSource dataSource, final String statement) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement sql = connection.createStatement()) {
            sql.execute(statement);
        }
    }

    private static long count(final DataSource dataSource, final String query) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement sql = connection.createStatement();
                ResultSet row = sql.executeQuery(query)) {
            row.next();
            return row.getLong(1);
        }
    }
}
