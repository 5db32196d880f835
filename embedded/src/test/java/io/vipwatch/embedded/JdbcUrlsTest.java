package io.vipwatch.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vipwatch.embedded.internal.JdbcUrls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JdbcUrlsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            host and port                | jdbc:postgresql://db:5432/app                  | jdbc:postgresql://db:5432/other
            parameters are kept          | jdbc:postgresql://db:5432/app?ssl=true&x=1     | jdbc:postgresql://db:5432/other?ssl=true&x=1
            several hosts                | jdbc:postgresql://a:5432,b:5433/app            | jdbc:postgresql://a:5432,b:5433/other
            no database                  | jdbc:postgresql://db:5432                      | jdbc:postgresql://db:5432/other
            no database, trailing slash  | jdbc:postgresql://db/                          | jdbc:postgresql://db/other
            no database, parameters      | jdbc:postgresql://db?ssl=true                  | jdbc:postgresql://db/other?ssl=true
            local short form             | jdbc:postgresql:app                            | jdbc:postgresql:other
            IPv6 host                    | jdbc:postgresql://[::1]:5432/app               | jdbc:postgresql://[::1]:5432/other
            """)
    void replacesTheDatabaseKeepingEverythingElse(final String description, final String url, final String expected) {
        assertThat(JdbcUrls.withDatabase(url, "other")).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            named database     | jdbc:postgresql://db:5432/app?ssl=true | app
            no database        | jdbc:postgresql://db:5432              | ''
            local short form   | jdbc:postgresql:app                    | app
            """)
    void readsTheDatabaseOfAUrl(final String description, final String url, final String expected) {
        assertThat(JdbcUrls.database(url)).isEqualTo(expected);
    }

    @Test
    void rejectsAUrlOfAnotherDriver() {
        assertThatThrownBy(() -> JdbcUrls.withDatabase("jdbc:mysql://db/app", "other"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jdbc:mysql://db/app");
    }
}
