package io.vipwatch.schemas.recording;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class RecordingReaderTest {

    private static final String HEARTBEAT =
            "{\"type\":\"heartbeat\",\"cluster\":\"c1\",\"observedAt\":\"2026-11-01T00:00:20Z\",\"source\":\"s\"}";

    @Test
    void bytesAndTextGiveTheSameEntriesWithCrLfCommentsBomAndNoFinalNewline() throws Exception {
        final String text = "\uFEFF" + RecordingCodecTest.DESIGN_EXAMPLE.replace("\n", "\r\n")
                + "  # a comment\r\n\r\n{\"type\":\"bogus\"}\r\n" + HEARTBEAT;

        final List<String> fromBytes = entries(new RecordingReader(
                new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "f.jsonl"));
        final List<String> fromText = entries(new RecordingReader(new StringReader(text.substring(1)), "f.jsonl"));

        assertThat(fromBytes).hasSize(7).isEqualTo(fromText);
        assertThat(fromBytes.get(5)).startsWith("f.jsonl:8: missing 'cluster'");
    }

    @Test
    void readsALineLongerThanTheBuffer() throws Exception {
        final StringBuilder annotations = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            annotations.append(i == 0 ? "" : ",").append("\"kube-vip.io/k").append(i).append("\":\"v").append(i).append('"');
        }
        final String line = "{\"type\":\"service\",\"cluster\":\"c1\",\"observedAt\":\"2026-11-01T00:00:10Z\",\"op\":\"UPSERT\","
                + "\"namespace\":\"d\",\"name\":\"w\",\"annotations\":{" + annotations + "}}";
        assertThat(line.length()).isGreaterThan(1 << 16);

        final List<String> entries = entries(new RecordingReader(
                new ByteArrayInputStream((line + "\n" + HEARTBEAT + "\n").getBytes(StandardCharsets.UTF_8)), "big"));

        assertThat(entries).hasSize(2).allSatisfy(entry -> assertThat(entry).doesNotStartWith("big:"));
    }

    @Test
    void aLineWithoutEventIdGetsTheSameIdFromBytesAndFromText() throws Exception {
        final List<String> fromBytes = entries(new RecordingReader(
                new ByteArrayInputStream(HEARTBEAT.getBytes(StandardCharsets.UTF_8)), "f"));

        assertThat(fromBytes).containsExactly(RecordingCodec.parse(HEARTBEAT).toString());
    }

    private static List<String> entries(final RecordingReader reader) throws Exception {
        final List<String> out = new ArrayList<>();
        try (reader) {
            for (final RecordingEntry entry : reader) {
                out.add(entry.isError() ? entry.error().getMessage() : entry.event().toString());
            }
        }
        return out;
    }
}
