package io.vipwatch.schemas.recording;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Splits a byte stream into lines ({@code \n} or {@code \r\n}) inside one growing buffer, so a line can be
 * parsed in place. A UTF-8 byte order mark at the very start is skipped.
 */
final class ByteLines implements Closeable {

    // eight bytes at a time when looking for the end of a line
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    private final InputStream in;
    private byte[] buffer = new byte[1 << 16];
    private int filled; // bytes of buffer holding data
    private int position; // where the next line starts
    private int start;
    private int length;
    private boolean eof;
    private boolean first = true;

    ByteLines(final InputStream in) {
        this.in = in;
    }

    /** Advances to the next line; false at the end. */
    boolean next() throws IOException {
        int from = position;
        while (true) {
            final int newline = newline(from);
            if (newline >= 0) {
                take(position, newline);
                position = newline + 1;
                return true;
            }
            from = filled; // nothing up to here: after fill() the unread bytes start at 0 again
            if (eof) {
                if (position < filled) {
                    take(position, filled);
                    position = filled;
                    return true;
                }
                return false;
            }
            from -= position;
            fill();
        }
    }

    /** The index of the first newline in {@code buffer[from, filled)}, or -1. */
    private int newline(final int from) {
        int i = from;
        for (; i + Long.BYTES <= filled; i += Long.BYTES) {
            final long x = (long) LONGS.get(buffer, i) ^ NEWLINES; // a zero byte where a newline is
            final long zeros = (x - ONES) & ~x & HIGHS; // its lowest set bit marks the first zero byte exactly
            if (zeros != 0) {
                return i + (Long.numberOfTrailingZeros(zeros) >>> 3);
            }
        }
        for (; i < filled; i++) {
            if (buffer[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private void take(final int from, final int newline) {
        int end = newline;
        if (end > from && buffer[end - 1] == '\r') {
            end--;
        }
        int begin = from;
        if (first) {
            first = false;
            if (end - begin >= 3 && buffer[begin] == (byte) 0xEF && buffer[begin + 1] == (byte) 0xBB
                    && buffer[begin + 2] == (byte) 0xBF) {
                begin += 3;
            }
        }
        start = begin;
        length = end - begin;
    }

    private void fill() throws IOException {
        if (position > 0) {
            System.arraycopy(buffer, position, buffer, 0, filled - position);
            filled -= position;
            position = 0;
        }
        if (filled == buffer.length) {
            buffer = Arrays.copyOf(buffer, buffer.length * 2);
        }
        final int read = in.read(buffer, filled, buffer.length - filled);
        if (read < 0) {
            eof = true;
        } else {
            filled += read;
        }
    }

    byte[] buffer() {
        return buffer;
    }

    int start() {
        return start;
    }

    int length() {
        return length;
    }

    /** Empty, only blanks, or a comment whose first non-blank character is {@code #}. */
    boolean isBlankOrComment() {
        for (int i = start; i < start + length; i++) {
            final byte b = buffer[i];
            if (b == '#') {
                return true;
            }
            if (b != ' ' && b != '\t') {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
