package io.vipwatch.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CopyTextTest {

    static Stream<Arguments> texts() {
        return Stream.of(
                Arguments.of("plain text is written as it is", "cp-1", "cp-1"),
                Arguments.of("null is \\N", null, "\\N"),
                Arguments.of("a tab would split the column", "a\tb", "a\\tb"),
                Arguments.of("a newline would end the row", "a\nb", "a\\nb"),
                Arguments.of("a carriage return too", "a\rb", "a\\rb"),
                Arguments.of("a backslash starts an escape", "a\\b", "a\\\\b"),
                Arguments.of("the literal text \\N is not null", "\\N", "\\\\N"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("texts")
    void escapesTextForCopy(final String description, final String value, final String expected) {
        final CopyText copy = new CopyText(16);
        copy.text(value).endRow();

        assertThat(copy.toString()).isEqualTo(expected + "\n");
    }

    @Test
    void writesArraysAsQuotedLiteralsEscapedForCopy() {
        final CopyText copy = new CopyText(16);
        copy.textArray(List.of("cp-1", "we\"ird\\", "tab\there")).textArray(List.of()).endRow();

        // array literal {"cp-1","we\"ird\\","tab<TAB>here"}, then COPY doubles each backslash and escapes the tab
        assertThat(copy.toString()).isEqualTo("{\"cp-1\",\"we\\\\\"ird\\\\\\\\\",\"tab\\there\"}\t{}\n");
    }

    @Test
    void writesTimestampsInUtcWithMicroseconds() {
        final CopyText copy = new CopyText(16);
        copy.timestamp(Instant.parse("2026-11-01T03:12:00.123Z")).number(42).timestamp(null).endRow();

        assertThat(copy.toString()).isEqualTo("2026-11-01 03:12:00.123000Z\t42\t\\N\n");
    }

    @Test
    void separatesRowsByNewlines() {
        final CopyText copy = new CopyText(16);
        copy.text("a").text("b").endRow();
        copy.text("c").text("d").endRow();

        assertThat(Arrays.asList(copy.toString().split("\n"))).containsExactly("a\tb", "c\td");
    }
}
