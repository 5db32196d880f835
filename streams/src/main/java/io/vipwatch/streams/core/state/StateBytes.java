package io.vipwatch.streams.core.state;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The primitives of {@link StateCodec}'s binary form: a format version byte, then varints, zig-zag longs,
 * length-prefixed UTF-8 strings (0: null), booleans and IEEE doubles.
 */
final class StateBytes {

    private StateBytes() {
    }


    static final class Out {
        private byte[] buf;
        private int pos;

        Out(final int capacity) {
            buf = new byte[capacity];
            buf[pos++] = StateCodec.VERSION;
        }

        private void ensure(final int n) {
            if (pos + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
            }
        }

        void writeVarint(final int value) {
            writeVarlong(value & 0xffffffffL);
        }

        void writeVarlong(long value) {
            ensure(10);
            while ((value & ~0x7fL) != 0) {
                buf[pos++] = (byte) ((value & 0x7f) | 0x80);
                value >>>= 7;
            }
            buf[pos++] = (byte) value;
        }

        /** Zig-zag, so -1 and small times after an epoch offset stay short. */
        void writeLong(final long value) {
            writeVarlong((value << 1) ^ (value >> 63));
        }

        void writeDouble(final double value) {
            final long bits = Double.doubleToLongBits(value);
            ensure(8);
            for (int i = 0; i < 8; i++) {
                buf[pos++] = (byte) (bits >>> (56 - 8 * i));
            }
        }

        void writeBoolean(final boolean value) {
            ensure(1);
            buf[pos++] = (byte) (value ? 1 : 0);
        }

        /** Length + 1, so 0 is null. */
        void writeString(final String value) {
            if (value == null) {
                writeVarint(0);
                return;
            }
            final byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            writeVarint(bytes.length + 1);
            ensure(bytes.length);
            System.arraycopy(bytes, 0, buf, pos, bytes.length);
            pos += bytes.length;
        }

        void writeStrings(final List<String> values) {
            writeVarint(values.size());
            for (final String value : values) {
                writeString(value);
            }
        }

        byte[] toBytes() {
            return Arrays.copyOf(buf, pos);
        }
    }

    static final class In {
        private final byte[] buf;
        final String kind;
        final byte version;
        private int pos;

        private final StateCodec.Dedup dedup;

        In(final byte[] buf, final String kind, final StateCodec.Dedup dedup) {
            this.buf = buf;
            this.kind = kind;
            this.dedup = dedup;
            if (buf.length == 0 || buf[0] != StateCodec.VERSION && buf[0] != StateCodec.VERSION_1
                    && buf[0] != StateCodec.VERSION_2) {
                throw new IllegalStateException("cannot decode " + kind + " state: format version "
                        + (buf.length == 0 ? "missing" : buf[0]) + ", this vipwatch reads " + StateCodec.VERSION_1
                        + " to " + StateCodec.VERSION + " (written by a newer vipwatch?)");
            }
            version = buf[0];
            pos = 1;
        }

        long readVarlong() {
            long value = 0;
            int shift = 0;
            while (true) {
                if (pos >= buf.length) {
                    throw new IllegalStateException("cannot decode " + kind + " state: truncated at byte " + pos);
                }
                final byte b = buf[pos++];
                value |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
                shift += 7;
            }
        }

        int readVarint() {
            return (int) readVarlong();
        }

        long readLong() {
            final long raw = readVarlong();
            return (raw >>> 1) ^ -(raw & 1);
        }

        double readDouble() {
            long bits = 0;
            for (int i = 0; i < 8; i++) {
                bits = (bits << 8) | (buf[pos++] & 0xff);
            }
            return Double.longBitsToDouble(bits);
        }

        boolean readBoolean() {
            return buf[pos++] != 0;
        }

        String readString() {
            final int n = readVarint();
            if (n == 0) {
                return null;
            }
            final String value = new String(buf, pos, n - 1, StandardCharsets.UTF_8);
            pos += n - 1;
            return dedup == null ? value : dedup.of(value);
        }

        /** Node names: one instance per name ({@link Names}). */
        List<String> readNames() {
            return readStrings(true);
        }

        List<String> readStrings() {
            return readStrings(false);
        }

        private List<String> readStrings(final boolean names) {
            final int n = readVarint();
            if (n == 0) {
                return List.of();
            }
            final String[] values = new String[n];
            for (int i = 0; i < n; i++) {
                values[i] = names ? Names.intern(readString()) : readString();
            }
            return List.of(values);
        }
    }
}
