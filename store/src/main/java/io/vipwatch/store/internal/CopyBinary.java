package io.vipwatch.store.internal;

import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * Builds rows in PostgreSQL's binary COPY format ({@code COPY … FROM STDIN (FORMAT binary)}) and streams them to
 * a {@link Target} (the connection's {@code CopyIn}) in chunks, so PostgreSQL parses the first rows while the
 * last are still being written. No text is escaped and no time is formatted: text columns go as UTF-8 bytes,
 * {@code timestamptz} as microseconds since 2000-01-01 UTC, {@code text[]} as a one-dimensional array of
 * {@code text}, {@code jsonb} as its version byte and the JSON text. The stored values are those of the same rows
 * sent as text.
 *
 * <p>Every row must write exactly the columns of the COPY statement, in its order, with the column's own type
 * ({@code integer} is {@link #int4}, {@code bigint} {@link #int8}): binary input is not converted.
 */
final class CopyBinary {

    /** Where full chunks go. */
    @FunctionalInterface
    interface Target {
        void write(byte[] bytes, int offset, int length) throws SQLException;
    }

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};
    private static final int TEXT_OID = 25;
    private static final int JSONB_VERSION = 1;
    // 2000-01-01T00:00:00Z, PostgreSQL's epoch, in seconds since 1970
    private static final long POSTGRES_EPOCH_SECONDS = 946_684_800L;
    private static final int CHUNK = 1 << 16;

    private final Target target;
    private byte[] buffer;
    private int length;

    /** Rows streamed to {@code target} in chunks of 64 KiB. */
    CopyBinary(final Target target) {
        this.target = target;
        this.buffer = new byte[CHUNK + 1024];
        header();
    }

    /** Rows kept in memory, for {@link #toByteArray()} (tests). */
    CopyBinary() {
        this(null);
    }

    private void header() {
        ensure(SIGNATURE.length + 8);
        System.arraycopy(SIGNATURE, 0, buffer, length, SIGNATURE.length);
        length += SIGNATURE.length;
        putInt(0); // flags: no OIDs
        putInt(0); // header extension length
    }

    /** Starts a row of {@code columns} columns. */
    CopyBinary row(final int columns) {
        if (target != null && length >= CHUNK) {
            flush();
        }
        ensure(2);
        putShort(columns);
        return this;
    }

    /** A {@code text} column; null is SQL NULL. */
    CopyBinary text(final String value) {
        if (value == null) {
            return nul();
        }
        final int at = reserve();
        utf8(value);
        return close(at);
    }

    /** A {@code jsonb} column holding {@code json} (JSON text); null is SQL NULL. */
    CopyBinary jsonb(final String json) {
        if (json == null) {
            return nul();
        }
        final int at = reserve();
        ensure(1);
        buffer[length++] = JSONB_VERSION;
        utf8(json);
        return close(at);
    }

    /** An {@code integer} column. */
    CopyBinary int4(final int value) {
        ensure(8);
        putInt(4);
        putInt(value);
        return this;
    }

    /** A {@code bigint} column. */
    CopyBinary int8(final long value) {
        ensure(12);
        putInt(8);
        putLong(value);
        return this;
    }

    /** A {@code timestamptz} column (microseconds, as PostgreSQL keeps it; finer digits are dropped); null is SQL NULL. */
    CopyBinary timestamp(final Instant value) {
        if (value == null) {
            return nul();
        }
        ensure(12);
        putInt(8);
        putLong(micros(value));
        return this;
    }

    /** A {@code text[]} column: one dimension, lower bound 1 (the empty list is the empty array). */
    CopyBinary textArray(final List<String> values) {
        final int at = reserve();
        ensure(20);
        final int size = values.size();
        boolean hasNull = false;
        for (int i = 0; i < size; i++) {
            hasNull |= values.get(i) == null;
        }
        putInt(size == 0 ? 0 : 1); // dimensions
        putInt(hasNull ? 1 : 0);
        putInt(TEXT_OID);
        if (size > 0) {
            putInt(size);
            putInt(1); // lower bound
        }
        for (int i = 0; i < size; i++) {
            text(values.get(i));
        }
        return close(at);
    }

    /** Ends the data (the trailer) and sends what is left to the target. */
    void finish() {
        ensure(2);
        putShort(-1);
        if (target != null) {
            flush();
        }
    }

    /** The bytes written so far (a {@link #CopyBinary()} in memory). */
    byte[] toByteArray() {
        return Arrays.copyOf(buffer, length);
    }

    /** Microseconds since 2000-01-01T00:00:00Z, PostgreSQL's {@code timestamptz}. */
    static long micros(final Instant value) {
        return (value.getEpochSecond() - POSTGRES_EPOCH_SECONDS) * 1_000_000L + value.getNano() / 1_000;
    }

    private CopyBinary nul() {
        ensure(4);
        putInt(-1);
        return this;
    }

    // room for a length written once the value is
    private int reserve() {
        ensure(4);
        final int at = length;
        length += 4;
        return at;
    }

    private CopyBinary close(final int at) {
        final int size = length - at - 4;
        buffer[at] = (byte) (size >>> 24);
        buffer[at + 1] = (byte) (size >>> 16);
        buffer[at + 2] = (byte) (size >>> 8);
        buffer[at + 3] = (byte) size;
        return this;
    }

    // UTF-8 as String.getBytes(UTF_8) writes it: an unpaired surrogate becomes '?'
    private void utf8(final String value) {
        final int chars = value.length();
        ensure(chars * 3);
        final byte[] out = buffer;
        int pos = length;
        for (int i = 0; i < chars; i++) {
            final char c = value.charAt(i);
            if (c < 0x80) {
                out[pos++] = (byte) c;
            } else if (c < 0x800) {
                out[pos++] = (byte) (0xc0 | c >> 6);
                out[pos++] = (byte) (0x80 | c & 0x3f);
            } else if (Character.isSurrogate(c)) {
                final int codePoint = Character.isHighSurrogate(c) && i + 1 < chars
                        && Character.isLowSurrogate(value.charAt(i + 1)) ? Character.toCodePoint(c, value.charAt(++i)) : -1;
                if (codePoint < 0) {
                    out[pos++] = '?';
                } else {
                    out[pos++] = (byte) (0xf0 | codePoint >> 18);
                    out[pos++] = (byte) (0x80 | codePoint >> 12 & 0x3f);
                    out[pos++] = (byte) (0x80 | codePoint >> 6 & 0x3f);
                    out[pos++] = (byte) (0x80 | codePoint & 0x3f);
                }
            } else {
                out[pos++] = (byte) (0xe0 | c >> 12);
                out[pos++] = (byte) (0x80 | c >> 6 & 0x3f);
                out[pos++] = (byte) (0x80 | c & 0x3f);
            }
        }
        length = pos;
    }

    private void flush() {
        if (length == 0) {
            return;
        }
        try {
            target.write(buffer, 0, length);
        } catch (final SQLException e) {
            throw new IllegalStateException("COPY failed: " + e.getMessage(), e);
        }
        length = 0;
    }

    private void ensure(final int more) {
        if (length + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
        }
    }

    private void putShort(final int value) {
        buffer[length++] = (byte) (value >>> 8);
        buffer[length++] = (byte) value;
    }

    private void putInt(final int value) {
        buffer[length++] = (byte) (value >>> 24);
        buffer[length++] = (byte) (value >>> 16);
        buffer[length++] = (byte) (value >>> 8);
        buffer[length++] = (byte) value;
    }

    private void putLong(final long value) {
        putInt((int) (value >>> 32));
        putInt((int) value);
    }
}
