package io.vipwatch.testkit;

import io.vipwatch.testkit.internal.ClassScope;
import io.vipwatch.testkit.internal.SharedKafka;
import io.vipwatch.testkit.internal.TestNames;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Resolves {@link KafkaTestCluster} parameters; use it through {@link WithKafka}. The broker lives
 * in the root context's store (one per test JVM, closed when the tests end), each test class's
 * cluster view in that class's store (closed, with its topics deleted, when the class ends).
 */
public final class KafkaExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KafkaExtension.class);

    @Override
    public boolean supportsParameter(final ParameterContext parameterContext, final ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == KafkaTestCluster.class;
    }

    @Override
    public KafkaTestCluster resolveParameter(final ParameterContext parameterContext,
            final ExtensionContext extensionContext) {
        return clusterFor(extensionContext);
    }

    /** The cluster view of the test class around {@code context}; for other extensions. */
    public static KafkaTestCluster clusterFor(final ExtensionContext context) {
        final SharedKafka broker = context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(SharedKafka.class,
                key -> SharedKafka.start(System.getenv(), System.getProperty(SharedKafka.IMAGE_PROPERTY)),
                SharedKafka.class);
        return ClassScope.of(context).getStore(NAMESPACE).getOrComputeIfAbsent(ClassCluster.class,
                key -> new ClassCluster(new KafkaTestCluster(broker.bootstrapServers(), TestNames.topicPrefix(),
                        broker.embedded())),
                ClassCluster.class).cluster;
    }

    /** Store entry that releases the class's cluster view when the class's context closes. */
    private static final class ClassCluster implements AutoCloseable {
        private final KafkaTestCluster cluster;

        private ClassCluster(final KafkaTestCluster cluster) {
            this.cluster = cluster;
        }

        @Override
        public void close() {
            cluster.release();
        }
    }
}
