package io.vipwatch.store.internal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Builds rows in PostgreSQL's COPY text format: columns separated by a tab, rows ended by a newline,
 * {@code \N} for null, and backslash, tab, newline and carriage return escaped. Arrays are written as
 * array literals ({@code {"a","b"}}), themselves escaped for COPY.
 */
final class CopyText {

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSSXXX")
            .withZone(ZoneOffset.UTC);

    private final StringBuilder out;
    private boolean rowStarted;

    CopyText(final int capacity) {
        this.out = new StringBuilder(capacity);
    }

    CopyText text(final String value) {
        separate();
        if (value == null) {
            out.append("\\N");
        } else {
            escapeInto(value, out);
        }
        return this;
    }

    CopyText number(final long value) {
        separate();
        out.append(value);
        return this;
    }

    CopyText timestamp(final Instant value) {
        separate();
        if (value == null) {
            out.append("\\N");
        } else {
            out.append(TIMESTAMP.format(value));
        }
        return this;
    }

    /** A {@code text[]} column. */
    CopyText textArray(final List<String> values) {
        separate();
        final StringBuilder literal = new StringBuilder(16 + values.size() * 16);
        literal.append('{');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                literal.append(',');
            }
            final String value = values.get(i);
            if (value == null) {
                literal.append("NULL");
                continue;
            }
            literal.append('"');
            for (int j = 0; j < value.length(); j++) {
                final char c = value.charAt(j);
                if (c == '"' || c == '\\') {
                    literal.append('\\');
                }
                literal.append(c);
            }
            literal.append('"');
        }
        literal.append('}');
        escapeInto(literal, out);
        return this;
    }

    void endRow() {
        out.append('\n');
        rowStarted = false;
    }

    boolean isEmpty() {
        return out.length() == 0;
    }

    @Override
    public String toString() {
        return out.toString();
    }

    private void separate() {
        if (rowStarted) {
            out.append('\t');
        }
        rowStarted = true;
    }

    private static void escapeInto(final CharSequence value, final StringBuilder out) {
        for (int i = 0; i < value.length(); i++) {
            final char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
    }
}
