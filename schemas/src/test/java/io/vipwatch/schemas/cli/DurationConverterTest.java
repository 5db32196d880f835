package io.vipwatch.schemas.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {

    @ParameterizedTest(name = "{0}: {1} = {2} ms")
    @CsvSource({
        "milliseconds, 250ms, 250",
        "seconds, 15s, 15000",
        "fractional seconds, 1.5s, 1500",
        "minutes, 5m, 300000",
        "hours, 1h, 3600000",
        "days, 2d, 172800000",
        "zero, 0, 0",
        "ISO-8601, PT15S, 15000",
        "ISO-8601 lower case, pt5m, 300000",
        "upper-case unit, 15S, 15000"})
    void parsesTheDocumentedForms(final String description, final String text, final long millis) {
        assertThat(DurationConverter.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "15", "s", "15x", "1.2.3s", "PT", "-5s"})
    void rejectsOtherTextSayingWhatIsAccepted(final String text) {
        assertThatThrownBy(() -> DurationConverter.parse(text)).isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("not a duration").hasMessageContaining("15s");
    }
}
