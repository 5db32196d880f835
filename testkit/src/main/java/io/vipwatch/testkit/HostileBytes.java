package io.vipwatch.testkit;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import org.apache.avro.io.BinaryData;

import io.vipwatch.schemas.serde.AvroSerdes;

/** Hostile record values shared by the tests of every role that decodes input topics. */
public final class HostileBytes {

    private HostileBytes() {
    }

    /** Avro single-object header of Heartbeat, then a string length of 2^31 - 16 and nothing else: 15 bytes. */
    public static byte[] fifteenBytes() {
        return withHeader(AvroSerdes.heartbeat().fingerprint(), zigzag((1L << 31) - 16));
    }

    /** {@code body} behind the Avro single-object header (marker C3 01, then the little-endian fingerprint). */
    public static byte[] withHeader(final long fingerprint, final byte[] body) {
        final ByteBuffer buffer = ByteBuffer.allocate(10 + body.length).order(ByteOrder.LITTLE_ENDIAN);
        buffer.put((byte) 0xC3).put((byte) 0x01).putLong(fingerprint).put(body);
        return buffer.array();
    }

    /** A long (a length, a count) as Avro writes it: zig-zag, then base-128 varint. */
    public static byte[] zigzag(final long value) {
        final byte[] buffer = new byte[10];
        return Arrays.copyOf(buffer, BinaryData.encodeLong(value, buffer, 0));
    }
}
