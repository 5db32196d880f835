package io.vipwatch.schemas.recording;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

import io.vipwatch.schemas.Ips;

/**
 * The byte-level JSON half of {@link FastLineParser}: a cursor over one line's bytes ({@link #b}, {@link #i},
 * {@link #end}), the structure (blanks, keys, objects, arrays, skipping unknown values) and the plain values
 * (strings, IPs, integers, booleans, nulls) read strictly; anything it is not sure of throws {@link #UNSURE}, for
 * the subclass to hand the line to {@link LineParser}'s Jackson path. It keeps the tables that share one String
 * between lines: field names (with their numbers), values, canonical IPs. The subclass reads the recording's
 * fields with these methods: an abstract superclass rather than a cursor object, so the state is fields of the one
 * parser (no indirection on every byte) and the small final methods inline as they did in one class.
 */
abstract class JsonScanner {

    private static final int CACHE_SLOTS = 4096; // a power of two
    private static final int CACHE_MAX_LENGTH = 64;
    private static final int MAX_DEPTH = 64;

    /** Thrown to leave the fast path; preallocated, no stack trace. */
    static final class Unsure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unsure() {
            super(null, null, false, false);
        }
    }

    static final Unsure UNSURE = new Unsure();

    /** The number {@link #key()} gives a field name the parser does not read. */
    static final int UNKNOWN = 0;

    private final Map<String, Integer> fieldIds; // the names the parser reads, with their numbers
    private static final int NAME_SLOTS = 256; // field names: few, looked up on every line, kept apart so they stay hot
    private final byte[][] nameKeys = new byte[NAME_SLOTS][];
    private final String[] nameValues = new String[NAME_SLOTS];
    private final int[] nameIds = new int[NAME_SLOTS];
    String keyName; // the name of the last key() read
    private final byte[][] cacheKeys = new byte[CACHE_SLOTS][];
    private final String[] cacheValues = new String[CACHE_SLOTS];
    private final byte[][] ipKeys = new byte[CACHE_SLOTS][];
    private final String[] ipValues = new String[CACHE_SLOTS];

    byte[] b; // the line being read: b[i, end)
    private int i;
    private int end;

    /** @param fieldIds the field names the subclass reads, as numbers other than {@link #UNKNOWN} */
    JsonScanner(final Map<String, Integer> fieldIds) {
        this.fieldIds = fieldIds;
    }

    /** Puts the cursor at the start of the line {@code bytes[offset, offset + length)}. */
    final void begin(final byte[] bytes, final int offset, final int length) {
        b = bytes;
        i = offset;
        end = offset + length;
    }

    /** Drops the line (the reader's buffer) once parsed. */
    final void release() {
        b = null;
    }

    /** After the line's value: nothing but blanks may follow. */
    final void endOfLine() {
        ws();
        if (i != end) {
            throw UNSURE;
        }
    }

    // --- values

    /** A string value shared between lines (or null). */
    final String shared() {
        if (nullLiteral()) {
            return null;
        }
        final int start = stringStart();
        return cached(start, stringEnd(start));
    }

    /** A string value unique to the line (or null). */
    final String fresh() {
        if (nullLiteral()) {
            return null;
        }
        final int start = stringStart();
        final int stop = stringEnd(start);
        return new String(b, start, stop - start, StandardCharsets.ISO_8859_1);
    }

    final Boolean bool() {
        final byte c = peek();
        if (c == 'n' && nullLiteral()) {
            return null;
        }
        if (c == 't') {
            literal("true");
            return Boolean.TRUE;
        }
        literal("false");
        return Boolean.FALSE;
    }

    final Long integer() {
        if (nullLiteral()) {
            return null;
        }
        return Long.valueOf(longValue());
    }

    /** A JSON integer of at most 18 digits (what Jackson reads as an int or a long). */
    final long longValue() {
        boolean negative = false;
        if (peek() == '-') {
            negative = true;
            i++;
        }
        final int start = i;
        long value = 0;
        while (i < end && b[i] >= '0' && b[i] <= '9') {
            value = value * 10 + (b[i] - '0');
            i++;
        }
        final int digits = i - start;
        if (digits == 0 || digits > 18 || (digits > 1 && b[start] == '0')) {
            throw UNSURE;
        }
        if (i < end && (b[i] == '.' || b[i] == 'e' || b[i] == 'E')) {
            throw UNSURE;
        }
        return negative ? -value : value;
    }

    final String ipOrNull() {
        if (nullLiteral()) {
            return null;
        }
        return ip();
    }

    /** A string an array or a map holds: never null. */
    final String element() {
        final int start = stringStart();
        return cached(start, stringEnd(start));
    }

    /** A string holding an IP, in canonical text, shared between lines. */
    final String ip() {
        final int start = stringStart();
        final int stop = stringEnd(start);
        final int length = stop - start;
        if (length == 0 || length > CACHE_MAX_LENGTH) {
            throw UNSURE;
        }
        final int slot = hash(start, stop) & (CACHE_SLOTS - 1);
        final byte[] key = ipKeys[slot];
        if (key != null && Arrays.equals(key, 0, key.length, b, start, stop)) {
            return ipValues[slot];
        }
        return canonicalIp(start, stop, slot);
    }

    /** An IP not in the table: its canonical text, remembered in {@code slot}. */
    private String canonicalIp(final int start, final int stop, final int slot) {
        final int length = stop - start;
        final String canonical;
        try {
            canonical = Ips.canonical(new String(b, start, length, StandardCharsets.ISO_8859_1));
        } catch (final IllegalArgumentException e) {
            throw UNSURE;
        }
        ipKeys[slot] = Arrays.copyOfRange(b, start, stop);
        ipValues[slot] = canonical;
        return canonical;
    }

    // --- structure

    /**
     * A field name and its colon, then the blanks before the value: the name's number ({@link #UNKNOWN} for a
     * name the parser does not read), the name itself in {@link #keyName}.
     */
    final int key() {
        ws();
        final int start = stringStart();
        final int stop = stringEnd(start);
        final int length = stop - start;
        int id = UNKNOWN;
        if (length > CACHE_MAX_LENGTH) { // no field the parser reads
            keyName = new String(b, start, length, StandardCharsets.ISO_8859_1);
        } else {
            final int slot = hash(start, stop) & (NAME_SLOTS - 1);
            final byte[] key = nameKeys[slot];
            if (key != null && Arrays.equals(key, 0, key.length, b, start, stop)) {
                keyName = nameValues[slot];
                id = nameIds[slot];
            } else {
                keyName = new String(b, start, length, StandardCharsets.ISO_8859_1).intern();
                id = fieldIds.getOrDefault(keyName, UNKNOWN);
                nameKeys[slot] = Arrays.copyOfRange(b, start, stop);
                nameValues[slot] = keyName;
                nameIds[slot] = id;
            }
        }
        ws();
        expect(':');
        ws();
        return id;
    }

    /** At an object's or an array's {@code open}: true if {@code close} follows (both passed), else false. */
    final boolean opensEmpty(final char open, final char close) {
        expect(open);
        ws();
        if (peek() == close) {
            i++;
            return true;
        }
        return false;
    }

    /** After a value in an object or an array: true at its {@code close} ('}' or ']'), false after a ','. */
    final boolean closes(final char close) {
        ws();
        final byte c = next();
        if (c == close) {
            return true;
        }
        if (c != ',') {
            throw UNSURE;
        }
        return false;
    }

    /** Skips any value of an unknown field, checking it as strictly as Jackson would or leaving it to Jackson. */
    final void skip(final int depth) {
        if (depth > MAX_DEPTH) {
            throw UNSURE;
        }
        final byte c = peek();
        switch (c) {
            case '"' -> stringEnd(stringStart());
            case '{' -> {
                if (opensEmpty('{', '}')) {
                    return;
                }
                do {
                    key();
                    skip(depth + 1);
                } while (!closes('}'));
            }
            case '[' -> {
                if (opensEmpty('[', ']')) {
                    return;
                }
                do {
                    ws();
                    skip(depth + 1);
                } while (!closes(']'));
            }
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> number();
        }
    }

    /** A JSON number of a plain form: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?, short. */
    private void number() {
        final int start = i;
        if (peek() == '-') {
            i++;
        }
        final int digits = digits();
        if (digits == 0 || (digits > 1 && b[i - digits] == '0')) {
            throw UNSURE;
        }
        if (i < end && b[i] == '.') {
            i++;
            if (digits() == 0) {
                throw UNSURE;
            }
        }
        if (i < end && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            if (i < end && (b[i] == '+' || b[i] == '-')) {
                i++;
            }
            if (digits() == 0) {
                throw UNSURE;
            }
        }
        if (i - start > 100 || (i < end && isWordByte(b[i]))) {
            throw UNSURE;
        }
    }

    private int digits() {
        final int start = i;
        while (i < end && b[i] >= '0' && b[i] <= '9') {
            i++;
        }
        return i - start;
    }

    final boolean nullLiteral() {
        if (peek() == 'n') {
            literal("null");
            return true;
        }
        return false;
    }

    private void literal(final String word) {
        final int length = word.length();
        if (end - i < length) {
            throw UNSURE;
        }
        for (int k = 0; k < length; k++) {
            if (b[i + k] != word.charAt(k)) {
                throw UNSURE;
            }
        }
        i += length;
        if (i < end && isWordByte(b[i])) {
            throw UNSURE;
        }
    }

    private static boolean isWordByte(final byte c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.'
                || c == '-' || c == '+' || c < 0;
    }

    /** At an opening quote: the first byte of the string's content. */
    final int stringStart() {
        if (i >= end || b[i] != '"') {
            throw UNSURE;
        }
        return ++i;
    }

    /** The end of a string's content (its closing quote, passed); only printable ASCII without escapes. */
    final int stringEnd(final int start) {
        for (int k = start; k < end; k++) {
            final byte c = b[k];
            if (c == '"') {
                i = k + 1;
                return k;
            }
            if (c == '\\' || c < 0x20) { // an escape, a control character or a non-ASCII byte (negative)
                throw UNSURE;
            }
        }
        throw UNSURE;
    }

    /** The shared String of {@code b[start, stop)} from a direct-mapped table (a collision replaces the slot). */
    private String cached(final int start, final int stop) {
        final int length = stop - start;
        if (length > CACHE_MAX_LENGTH) {
            return new String(b, start, length, StandardCharsets.ISO_8859_1);
        }
        final int slot = hash(start, stop) & (CACHE_SLOTS - 1);
        final byte[] key = cacheKeys[slot];
        if (key != null && Arrays.equals(key, 0, key.length, b, start, stop)) {
            return cacheValues[slot];
        }
        final String value = new String(b, start, length, StandardCharsets.ISO_8859_1);
        cacheKeys[slot] = Arrays.copyOfRange(b, start, stop);
        cacheValues[slot] = value;
        return value;
    }

    /**
     * A hash of {@code b[start, stop)} for the tables: from at most its first and last eight bytes and its length
     * (the values that repeat differ at their ends: node-12, agent/node-12, cluster-3). Only picks a slot: every
     * hit is checked byte for byte.
     */
    private int hash(final int start, final int stop) {
        final int head = Math.min(stop, start + 8);
        int h = stop - start;
        for (int k = start; k < head; k++) {
            h = 31 * h + b[k];
        }
        for (int k = Math.max(head, stop - 8); k < stop; k++) {
            h = 31 * h + b[k];
        }
        return h ^ (h >>> 16);
    }

    final void ws() {
        while (i < end) {
            final byte c = b[i];
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                return;
            }
            i++;
        }
    }

    private byte peek() {
        if (i >= end) {
            throw UNSURE;
        }
        return b[i];
    }

    private byte next() {
        if (i >= end) {
            throw UNSURE;
        }
        return b[i++];
    }

    private void expect(final char c) {
        if (next() != c) {
            throw UNSURE;
        }
    }
}