package io.vipwatch.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.vipwatch.store.InvalidQueryException;

class TimeParamsTest {

    private static final Instant NOW = Instant.parse("2026-11-02T00:00:00Z");

    static Stream<Arguments> times() {
        return Stream.of(
                Arguments.of("RFC 3339 in UTC", "2026-11-01T03:12:00Z", Instant.parse("2026-11-01T03:12:00Z")),
                Arguments.of("RFC 3339 with an offset", "2026-11-01T04:12:00+01:00", Instant.parse("2026-11-01T03:12:00Z")),
                Arguments.of("epoch milliseconds", "1793502720000", Instant.ofEpochMilli(1793502720000L)),
                Arguments.of("now", "now", NOW),
                Arguments.of("now minus hours", "now-2h", NOW.minusSeconds(7200)),
                Arguments.of("minus days", "-7d", NOW.minusSeconds(7 * 86400)),
                Arguments.of("missing: the fallback", null, Instant.EPOCH));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("times")
    void readsTheFormsTheApiAccepts(final String description, final String text, final Instant expected) {
        assertThat(TimeParams.parse("at", text, NOW, Instant.EPOCH)).isEqualTo(expected);
    }

    @Test
    void namesTheParameterAndTheFormsWhenTheTextIsNoTime() {
        assertThatThrownBy(() -> TimeParams.parse("from", "last tuesday", NOW, NOW))
                .isInstanceOf(InvalidQueryException.class)
                .hasMessageStartingWith("from: 'last tuesday' is not a time")
                .hasMessageContaining("RFC 3339");
    }
}
