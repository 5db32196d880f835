package io.vipwatch.testkit;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import io.vipwatch.schemas.serde.AvroSerdes;

/** Hostile record values shared by the tests of every role that decodes input topics. */
public final class HostileBytes {

    private HostileBytes() {
    }

    /** Avro single-object header of Heartbeat, then a string length of 2^31 - 16 and nothing else: 15 bytes. */
    public static byte[] fifteenBytes() {
        final ByteBuffer buffer = ByteBuffer.allocate(15).order(ByteOrder.LITTLE_ENDIAN);
        buffer.put((byte) 0xC3).put((byte) 0x01).putLong(AvroSerdes.heartbeat().fingerprint());
        long n = ((1L << 31) - 16) << 1;
        while ((n & ~0x7FL) != 0) {
            buffer.put((byte) ((n & 0x7F) | 0x80));
            n >>>= 7;
        }
        buffer.put((byte) n);
        return Arrays.copyOf(buffer.array(), buffer.position());
    }
}
