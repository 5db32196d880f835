package io.vipwatch.schemas.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class DeadLettersTest {

    @Test
    void aValueTooLargeToSendBecomesAReferenceToTheOriginal() {
        final ProducerRecord<byte[], byte[]> letter = DeadLetters.record("vipwatch.dlq.v1", "streams",
                "vipwatch.heartbeats.v1", 2, 41, 5_000, "c1/s".getBytes(), new byte[2 << 20],
                DeadLetterReason.OVERSIZED, "2097152 bytes", 4_000);

        assertThat(letter.value()).isNull();
        assertThat(DeadLetters.header(letter.headers(), DeadLetters.VALUE_OMITTED)).isEqualTo("true");
        assertThat(DeadLetters.header(letter.headers(), DeadLetters.SIZE)).isEqualTo("2097152");
        assertThat(DeadLetters.header(letter.headers(), DeadLetters.TOPIC)).isEqualTo("vipwatch.heartbeats.v1");
        assertThat(DeadLetters.header(letter.headers(), DeadLetters.PARTITION)).isEqualTo("2");
        assertThat(DeadLetters.header(letter.headers(), DeadLetters.OFFSET)).isEqualTo("41");
        assertThat(DeadLetters.header(letter.headers(), DeadLetters.REASON)).isEqualTo("oversized");
        assertThat(DeadLetters.header(letter.headers(), DeadLetters.STREAMS_MESSAGE)).startsWith("oversized: ");
        assertThat(letter.timestamp()).as("never later than the wall clock").isEqualTo(4_000L);
    }

    @Test
    void aSmallValueIsSentAsIs() {
        final byte[] value = {1, 2, 3};
        final ProducerRecord<byte[], byte[]> letter = DeadLetters.record("dlq", "store", "t", 0, 1, 10, null, value,
                DeadLetterReason.NUL_CHARACTER, "x\0y", 4_000);

        assertThat(letter.value()).isEqualTo(value);
        assertThat(DeadLetters.header(letter.headers(), DeadLetters.VALUE_OMITTED)).isNull();
        assertThat(DeadLetters.header(letter.headers(), DeadLetters.DETAIL)).isEqualTo("nulCharacter: x?y");
        assertThat(letter.timestamp()).isEqualTo(10L);
    }
}
