package io.vipwatch.schemas.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.OffsetDateTime;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

class Rfc3339Test {

    @Property
    void theFastPathAgreesWithJavaTimeForEveryTimeTheWriterProduces(
            @ForAll @LongRange(min = -62_135_596_800_000L, max = 253_402_300_799_999L) final long millis) {
        final String text = Instant.ofEpochMilli(millis).toString();

        assertThat(LineParser.time(text)).isEqualTo(millis);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "plain UTC                 | 2026-11-01T00:00:10Z",
        "milliseconds              | 2026-11-01T00:00:10.250Z",
        "leap day                  | 2028-02-29T23:59:59Z",
        "an offset (slow path)     | 2026-11-01T02:00:10+02:00",
        "microseconds (slow path)  | 2026-11-01T00:00:10.123456Z",
        "epoch                     | 1970-01-01T00:00:00Z",
    })
    void readsValidTimes(final String description, final String text) {
        assertThat(LineParser.time(text)).isEqualTo(OffsetDateTime.parse(text).toInstant().toEpochMilli());
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "not a leap year | 2026-02-29T00:00:00Z",
        "month 13        | 2026-13-01T00:00:00Z",
        "hour 24         | 2026-11-01T24:00:00Z",
        "no zone         | 2026-11-01T00:00:00",
        "a date only     | 2026-11-01",
    })
    void refusesInvalidTimesNamingTheField(final String description, final String text) {
        assertThatThrownBy(() -> LineParser.time(text)).hasMessageContaining("'observedAt' is not an RFC 3339 time");
    }
}
