package io.vipwatch.schemas.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RedactionTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "API URL with credentials | https://alice:hunter2@history.example:8080/api | https://***@history.example:8080/api",
        "JDBC URL with a password | jdbc:postgresql://db:5432/vipwatch?user=vw&password=hunter2&ssl=true | jdbc:postgresql://db:5432/vipwatch?user=vw&password=***&ssl=true",
        "JDBC URL with user info  | jdbc:postgresql://vw:hunter2@db/vipwatch | jdbc:postgresql://***@db/vipwatch",
        "a URL without secrets    | http://127.0.0.1:8080/ | http://127.0.0.1:8080/",
    })
    void urlsLoseTheirSecrets(final String description, final String url, final String expected) {
        assertThat(Redaction.url(url)).isEqualTo(expected).doesNotContain("hunter2");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "a password option       | Invalid value for '--jdbc-password=hunter2'     | Invalid value for '--jdbc-password=***'",
        "a token option          | Invalid value for '--api-token=hunter2'         | Invalid value for '--api-token=***'",
        "a URL in a message      | cannot reach https://a:hunter2@h/ : refused     | cannot reach https://***@h/ : refused",
        "a harmless option       | Unknown option: '--grace=15s'                   | Unknown option: '--grace=15s'",
    })
    void messagesLoseTheirSecrets(final String description, final String message, final String expected) {
        assertThat(Redaction.message(message)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "misspelt password option | Unknown option: '--jdbc-pasword=hunter2'      | Unknown option: '--jdbc-pasword=***'",
        "the issue's example      | Unknown option: '--jdbc-password=VALUE'       | Unknown option: '--jdbc-password=***'",
        "two of them              | Unknown options: '--a=x', '--tokn=hunter2'     | Unknown options: '--a=***', '--tokn=***'",
    })
    void unknownOptionsLoseEveryValue(final String description, final String message, final String expected) {
        assertThat(Redaction.unmatchedArguments(message)).isEqualTo(expected);
    }
}
