package io.vipwatch.schemas.serde;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;

import org.apache.avro.io.BinaryData;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import io.vipwatch.schemas.Topics;

/** Crafted bodies: decoding is bounded before allocating, and every failure is a SerializationException. */
class HostileBodyTest {

    @Test
    void fifteenBytesDeclaringATwoGibibyteStringFailWithoutAllocatingIt() {
        final byte[] body = withHeader(AvroSerdes.heartbeat().fingerprint(), zigzag((1L << 31) - 16));

        assertThatThrownBy(() -> InputCodec.decode(Topics.HEARTBEATS, body)).isInstanceOf(SerializationException.class)
                .hasMessageStartingWith("oversized");
    }

    @Test
    void aStringLongerThanTheBodyFailsAsUndecodable() {
        final byte[] body = withHeader(AvroSerdes.heartbeat().fingerprint(), zigzag(1 << 19));

        assertThatThrownBy(() -> InputCodec.decode(Topics.HEARTBEATS, body)).isInstanceOf(SerializationException.class);
    }

    @Test
    void anArrayDeclaringABillionItemsFailsWithoutAllocatingThem() {
        // NodeAddresses: cluster "c", observedAt 0, source "s", eventId "e", node "n", then the addresses array
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final String text : new String[] {"c"}) {
            out.writeBytes(zigzag(text.length()));
            out.writeBytes(text.getBytes());
        }
        out.writeBytes(zigzag(0));
        for (final String text : new String[] {"s", "e", "n"}) {
            out.writeBytes(zigzag(text.length()));
            out.writeBytes(text.getBytes());
        }
        out.writeBytes(zigzag(1L << 30));
        final byte[] body = withHeader(AvroSerdes.nodeAddresses().fingerprint(), out.toByteArray());

        assertThatThrownBy(() -> InputCodec.decode(Topics.NODE_ADDRESSES, body))
                .isInstanceOf(SerializationException.class);
    }

    @RepeatedTest(20)
    void randomBodiesBehindAValidFingerprintFailAsSerializationExceptions() {
        final Random random = new Random();
        final byte[] garbage = new byte[random.nextInt(64)];
        random.nextBytes(garbage);
        for (final String topic : Topics.standard().inputs()) {
            final long fingerprint = switch (topic) {
                case Topics.SERVICES -> AvroSerdes.serviceChange().fingerprint();
                case Topics.ANNOUNCEMENTS -> AvroSerdes.announcementChange().fingerprint();
                case Topics.NODE_ADDRESSES -> AvroSerdes.nodeAddresses().fingerprint();
                case Topics.NODES -> AvroSerdes.nodeFacts().fingerprint();
                default -> AvroSerdes.heartbeat().fingerprint();
            };
            try {
                InputCodec.decode(topic, withHeader(fingerprint, garbage));
            } catch (final SerializationException expected) {
                // the only way a body may fail
            }
        }
    }

    static byte[] withHeader(final long fingerprint, final byte[] body) {
        final ByteBuffer buffer = ByteBuffer.allocate(10 + body.length).order(ByteOrder.LITTLE_ENDIAN);
        buffer.put((byte) 0xC3).put((byte) 0x01).putLong(fingerprint).put(body);
        return buffer.array();
    }

    /** A long as Avro writes it (zig-zag varint); the streams tests take theirs from testkit's HostileBytes. */
    static byte[] zigzag(final long value) {
        final byte[] buffer = new byte[10];
        return Arrays.copyOf(buffer, BinaryData.encodeLong(value, buffer, 0));
    }
}
