package io.vipwatch.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({"500ms, PT0.5S", "10s, PT10S", "5m, PT5M", "1h, PT1H", "0, PT0S", "PT2M30S, PT2M30S"})
    void readsShortAndIsoDurations(final String text, final String iso) {
        assertThat(new DurationConverter().convert(text)).isEqualTo(Duration.parse(iso));
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"ten", "10", "10 s", "-5s", "1d"})
    void rejectsAnythingElseSayingWhatIsExpected(final String text) {
        assertThatThrownBy(() -> new DurationConverter().convert(text)).isInstanceOf(TypeConversionException.class)
                .hasMessage("'" + text + "' is not a duration (examples: 500ms, 10s, 5m, 1h, PT10S)");
    }
}
