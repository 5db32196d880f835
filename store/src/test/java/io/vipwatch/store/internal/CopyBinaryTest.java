package io.vipwatch.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class CopyBinaryTest {

    private static final int HEADER = 19;

    @Test
    void startsWithTheSignatureAndEndsWithTheTrailer() {
        final CopyBinary copy = new CopyBinary();
        copy.finish();

        final byte[] bytes = copy.toByteArray();
        assertThat(new String(bytes, 0, 6, StandardCharsets.US_ASCII)).isEqualTo("PGCOPY");
        assertThat(bytes).hasSize(HEADER + 2).endsWith(0xff, 0xff);
    }

    @Test
    void writesTimestampsAsMicrosecondsSince2000AndDropsFinerDigits() {
        assertThat(CopyBinary.micros(Instant.parse("2000-01-01T00:00:00Z"))).isZero();
        assertThat(CopyBinary.micros(Instant.parse("2026-11-01T03:12:00.123456789Z")))
                .isEqualTo((Instant.parse("2026-11-01T03:12:00Z").getEpochSecond() - 946_684_800L) * 1_000_000L + 123_456L);
        // before 2000 (the store accepts times from 1970): still the microsecond at or before the instant
        assertThat(CopyBinary.micros(Instant.parse("1999-12-31T23:59:59.999999999Z"))).isEqualTo(-1);
        assertThat(CopyBinary.micros(Instant.parse("1970-01-01T00:00:00Z"))).isEqualTo(-946_684_800_000_000L);
    }

    @Test
    void writesTextAsUtf8LikeGetBytesAndNullAsMinusOne() {
        for (final String text : List.of("cp-1", "tab\there \\N \"quoted\"", "é ü 中 😀", "half \ud83d surrogate", "")) {
            final ByteBuffer row = row(new CopyBinary().row(1).text(text));
            final byte[] expected = text.getBytes(StandardCharsets.UTF_8);
            assertThat(row.getShort()).isEqualTo((short) 1);
            assertThat(row.getInt()).as(text).isEqualTo(expected.length);
            final byte[] actual = new byte[expected.length];
            row.get(actual);
            assertThat(actual).as(text).isEqualTo(expected);
        }
        final ByteBuffer nul = row(new CopyBinary().row(1).text(null));
        assertThat(nul.getShort()).isEqualTo((short) 1);
        assertThat(nul.getInt()).isEqualTo(-1);
    }

    @Test
    void writesTextArraysAsOneDimensionOfText() {
        final ByteBuffer row = row(new CopyBinary().row(2).textArray(List.of("cp-1", "w")).textArray(List.of()));
        assertThat(row.getShort()).isEqualTo((short) 2);
        assertThat(row.getInt()).isEqualTo(20 + 4 + 4 + 4 + 1);
        assertThat(new int[] {row.getInt(), row.getInt(), row.getInt(), row.getInt(), row.getInt()})
                .containsExactly(1, 0, 25, 2, 1); // dimensions, no nulls, text, size, lower bound
        assertThat(row.getInt()).isEqualTo(4);
        row.position(row.position() + 4);
        assertThat(row.getInt()).isEqualTo(1);
        row.position(row.position() + 1);
        // the empty array: no dimensions
        assertThat(row.getInt()).isEqualTo(12);
        assertThat(new int[] {row.getInt(), row.getInt(), row.getInt()}).containsExactly(0, 0, 25);
    }

    @Test
    void streamsTheSameBytesInChunks() {
        final ByteArrayOutputStream streamed = new ByteArrayOutputStream();
        final int[] chunks = {0};
        final CopyBinary out = new CopyBinary((bytes, offset, length) -> {
            streamed.write(bytes, offset, length);
            chunks[0]++;
        });
        final CopyBinary kept = new CopyBinary();
        for (int i = 0; i < 5_000; i++) {
            for (final CopyBinary copy : List.of(out, kept)) {
                copy.row(4).timestamp(Instant.ofEpochMilli(1_700_000_000_000L + i)).text("cluster-" + i)
                        .int4(i).int8(i * 1_000_000_000L);
            }
        }
        out.finish();
        kept.finish();

        assertThat(chunks[0]).isGreaterThan(1);
        assertThat(streamed.toByteArray()).isEqualTo(kept.toByteArray());
    }

    private static ByteBuffer row(final CopyBinary copy) {
        final byte[] bytes = copy.toByteArray();
        return ByteBuffer.wrap(Arrays.copyOfRange(bytes, HEADER, bytes.length));
    }
}
