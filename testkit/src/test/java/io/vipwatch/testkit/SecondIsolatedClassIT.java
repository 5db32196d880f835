package io.vipwatch.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The second of two classes that check test classes do not see each other; it runs after
 * {@link FirstIsolatedClassIT} and compares what each was handed. See {@link TestClassIsolationContract}.
 */
class SecondIsolatedClassIT extends TestClassIsolationContract {

    private Seen first;
    private Seen own;

    @BeforeEach
    void requireTheFirstClass() {
        first = SEEN.get(FirstIsolatedClassIT.class.getSimpleName());
        own = SEEN.get(SecondIsolatedClassIT.class.getSimpleName());
        assumeTrue(first != null, "FirstIsolatedClassIT did not run before this class in this JVM");
    }

    @Test
    void sharesTheBrokerButNotTheTopicPrefix() {
        assertThat(own.bootstrapServers()).isEqualTo(first.bootstrapServers());
        assertThat(own.topicPrefix()).isNotEqualTo(first.topicPrefix());
    }

    @Test
    void sharesThePostgresServerButNotTheDatabase() {
        assertThat(serverOf(own.jdbcUrl())).isEqualTo(serverOf(first.jdbcUrl()));
        assertThat(own.database()).isNotEqualTo(first.database());
    }

    @Test
    void findsNoTopicsOrDatabaseLeftByTheFinishedClass(final KafkaTestCluster cluster, final TestDatabase database) {
        Poll.until("the topics with prefix " + first.topicPrefix() + " to be deleted", TIMEOUT,
                () -> cluster.admin().listTopics().names().get(),
                names -> names.stream().noneMatch(name -> name.startsWith(first.topicPrefix())));
        Poll.until("database " + first.database() + " to be dropped", TIMEOUT,
                () -> databaseExists(database, first.database()), exists -> !exists);
    }

    private static boolean databaseExists(final TestDatabase connectVia, final String name) throws SQLException {
        try (Connection connection = connectVia.dataSource().getConnection();
                PreparedStatement query = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            query.setString(1, name);
            try (ResultSet row = query.executeQuery()) {
                return row.next();
            }
        }
    }

    private static String serverOf(final String jdbcUrl) {
        return jdbcUrl.substring(0, jdbcUrl.lastIndexOf('/'));
    }
}
