package io.vipwatch.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives the test class a fresh PostgreSQL database of its own: declare a {@link TestDatabase}
 * parameter on the constructor, a {@code @BeforeAll}/{@code @BeforeEach} method or a test method.
 * The database is created on first use and dropped when the class finishes.
 *
 * <p>One server serves the whole test JVM: {@code VIPWATCH_TEST_JDBC_URL} (with
 * {@code VIPWATCH_TEST_JDBC_USER}, {@code VIPWATCH_TEST_JDBC_PASSWORD}) names an existing server
 * whose user may create databases; else a PostgreSQL is started from the embedded binaries
 * ({@link io.vipwatch.embedded.PostgresServer#embedded()}).
 */
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(PostgresExtension.class)
public @interface WithPostgres {
}
