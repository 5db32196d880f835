package io.vipwatch.testkit;

import io.vipwatch.embedded.PostgresServer;
import io.vipwatch.testkit.internal.ClassScope;
import io.vipwatch.testkit.internal.SharedPostgres;
import io.vipwatch.testkit.internal.TestNames;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves {@link TestDatabase} parameters; use it through {@link WithPostgres}. The server lives
 * in the root context's store (one per test JVM), each class's database in that class's store
 * (dropped when the class ends).
 */
public final class PostgresExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PostgresExtension.class);
    private static final Logger LOG = LoggerFactory.getLogger(PostgresExtension.class);

    @Override
    public boolean supportsParameter(final ParameterContext parameterContext, final ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == TestDatabase.class;
    }

    @Override
    public TestDatabase resolveParameter(final ParameterContext parameterContext, final ExtensionContext extensionContext) {
        return databaseFor(extensionContext);
    }

    /** The database of the test class around {@code context}; for other extensions. */
    public static TestDatabase databaseFor(final ExtensionContext context) {
        final PostgresServer server = context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(SharedPostgres.class,
                key -> SharedPostgres.start(System.getenv()), SharedPostgres.class).server();
        final ExtensionContext classContext = ClassScope.of(context);
        return classContext.getStore(NAMESPACE).getOrComputeIfAbsent(ClassDatabase.class,
                key -> ClassDatabase.create(server, classContext.getRequiredTestClass()), ClassDatabase.class).database;
    }

    /** Store entry that drops the class's database when the class's context closes. */
    private static final class ClassDatabase implements AutoCloseable {
        private final PostgresServer server;
        private final TestDatabase database;

        private ClassDatabase(final PostgresServer server, final TestDatabase database) {
            this.server = server;
            this.database = database;
        }

        static ClassDatabase create(final PostgresServer server, final Class<?> testClass) {
            final String name = TestNames.databaseName(testClass);
            server.createDatabase(name);
            return new ClassDatabase(server, new TestDatabase(name, server.jdbcUrl(name), server.user(),
                    server.password(), server.dataSource(name)));
        }

        @Override
        public void close() {
            try {
                server.dropDatabase(database.name());
            } catch (RuntimeException e) {
                LOG.warn("Could not drop the test database {}", database.name(), e);
            }
        }
    }
}
