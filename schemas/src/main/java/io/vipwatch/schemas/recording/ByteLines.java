package io.vipwatch.schemas.recording;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into lines ({@code \n} or {@code \r\n}) inside one growing buffer, so a line can be
 * parsed in place. A UTF-8 byte order mark at the very start is skipped.
 */
final class ByteLines implements Closeable {

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
        while (true) {
            for (int i = position; i < filled; i++) {
                if (buffer[i] == '\n') {
                    take(position, i);
                    position = i + 1;
                    return true;
                }
            }
            if (eof) {
                if (position < filled) {
                    take(position, filled);
                    position = filled;
                    return true;
                }
                return false;
            }
            fill();
        }
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
