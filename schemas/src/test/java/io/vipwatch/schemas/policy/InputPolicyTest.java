package io.vipwatch.schemas.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import io.vipwatch.schemas.event.Heartbeat;
import io.vipwatch.schemas.event.NodeAddresses;
import io.vipwatch.schemas.recording.RecordingEntry;
import io.vipwatch.schemas.recording.RecordingReader;

/** The one input policy, as a recording reader applies it: every bad line is FILE:LINE: reason, nothing crashes. */
class InputPolicyTest {

    private static final String HEARTBEAT = "{\"type\":\"heartbeat\",\"cluster\":\"c1\",\"observedAt\":\"2026-11-01T00:00:20Z\",\"source\":\"s\"}";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "cluster with a slash        | {\"type\":\"heartbeat\",\"cluster\":\"a/b\",\"observedAt\":\"2026-11-01T00:00:00Z\",\"source\":\"s\"}                                   | 'cluster' 'a/b' must not contain '/'",
        "namespace in capitals       | {\"type\":\"service\",\"cluster\":\"c1\",\"observedAt\":\"2026-11-01T00:00:00Z\",\"op\":\"UPSERT\",\"namespace\":\"Default\",\"name\":\"w\"} | 'namespace' 'Default' must be a DNS-1123 label",
        "service name 64 long        | {\"type\":\"service\",\"cluster\":\"c1\",\"observedAt\":\"2026-11-01T00:00:00Z\",\"op\":\"UPSERT\",\"namespace\":\"d\",\"name\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"} | 'name'",
        "node ending in a dot        | {\"type\":\"node\",\"cluster\":\"c1\",\"observedAt\":\"2026-11-01T00:00:00Z\",\"node\":\"cp-1.\"}                                         | 'node' 'cp-1.' must be a DNS-1123 subdomain",
        "interface of 16             | {\"type\":\"node-addresses\",\"cluster\":\"c1\",\"observedAt\":\"2026-11-01T00:00:00Z\",\"node\":\"n\",\"addresses\":[{\"interface\":\"eth0123456789abc\",\"ip\":\"192.0.2.1\",\"prefixLength\":32}]} | 'addresses[0].interface' 'eth0123456789abc' is longer than 15",
        "NUL in a source             | {\"type\":\"heartbeat\",\"cluster\":\"c1\",\"observedAt\":\"2026-11-01T00:00:00Z\",\"source\":\"s\\u0000x\"}                           | 'source' contains U+0000",
        "year 296675                 | {\"type\":\"heartbeat\",\"cluster\":\"c1\",\"observedAt\":\"+296675-01-01T00:00:00Z\",\"source\":\"s\"}                               | 'observedAt'",
        "year +999999999             | {\"type\":\"heartbeat\",\"cluster\":\"c1\",\"observedAt\":\"+999999999-12-31T23:59:59Z\",\"source\":\"s\"}                            | 'observedAt'",
        "before 1970                 | {\"type\":\"heartbeat\",\"cluster\":\"c1\",\"observedAt\":\"1969-12-31T23:59:59Z\",\"source\":\"s\"}                                  | is outside 1970-01-01T00:00:00Z .. 9999-12-31T23:59:59.999Z",
    })
    void aLineBreakingThePolicyIsFileLineReasonAndTheNextLineIsRead(final String description, final String line,
            final String reason) throws Exception {
        final List<RecordingEntry> entries = read(line + "\n" + HEARTBEAT + "\n");

        assertThat(entries).hasSize(2);
        assertThat(entries.get(0).error()).hasMessageStartingWith("x.jsonl:1: ").hasMessageContaining(reason);
        assertThat(entries.get(1).event()).isNotNull();
    }

    @Test
    void aClusterOfOneMebibyteIsRefusedAndNotEchoedWhole() throws Exception {
        final String huge = "c".repeat(1 << 20);
        final List<RecordingEntry> entries = read(HEARTBEAT.replace("\"c1\"", "\"" + huge + "\"") + "\n");

        assertThat(entries.get(0).error()).hasMessageContaining("'cluster'").hasMessageContaining("is longer than 253");
        assertThat(entries.get(0).error().getMessage().length()).isLessThan(300);
    }

    @Test
    void aNameThatPassedBeforeDoesNotLetABadOneThrough() throws Exception {
        final String good = "{\"type\":\"heartbeat\",\"cluster\":\"c9\",\"observedAt\":\"2026-11-01T00:00:00Z\","
                + "\"source\":\"agent/n9\",\"node\":\"n9\"}";
        final Heartbeat event = new Heartbeat("c9", 0, "agent/n9", "e", "n9", 10_000);
        InputPolicy.check(event);
        InputPolicy.check(new NodeAddresses("c9", 0, "agent/n9", "e", "n9",
                List.of(new NodeAddresses.Address("eth0", "192.0.2.1", 24)), false));

        // the same names again pass; the same field with a bad value next to them fails as on first sight
        assertThat(InputPolicy.check(event)).isSameAs(event);
        assertThatThrownBy(() -> InputPolicy.check(new Heartbeat("c9 ", 0, "agent/n9", "e", "n9", 10_000)))
                .hasMessage("'cluster' 'c9 ' must not contain '/' or whitespace");
        assertThatThrownBy(() -> InputPolicy.check(new Heartbeat("c9", 0, "agent/n9\u0001", "e", "n9", 10_000)))
                .hasMessage("'source' 'agent/n9?' contains a control character");
        assertThatThrownBy(() -> InputPolicy.check(new Heartbeat("c9", 0, "agent/n9", "e", "N9", 10_000)))
                .hasMessageStartingWith("'node' 'N9' must be a DNS-1123 subdomain");
        assertThatThrownBy(() -> InputPolicy.check(new NodeAddresses("c9", 0, "agent/n9", "e", "n9",
                List.of(new NodeAddresses.Address("eth0:1", "192.0.2.1", 24)), false)))
                .hasMessage("'addresses[0].interface' 'eth0:1' must not contain '/', ':' or whitespace");
        assertThat(read(good + "\n" + good.replace("\"n9\"}", "\"n9-\"}") + "\n"))
                .extracting(entry -> entry.error() == null ? "ok" : entry.error().getMessage())
                .containsExactly("ok", "x.jsonl:2: 'node' 'n9-' must be a DNS-1123 subdomain (at most 253 lowercase "
                        + "letters, digits, '-' and '.', each part starting and ending with a letter or digit)");
    }

    @Test
    void kubernetesNamesAtTheirLimitsPass() {
        assertThat(InputPolicy.label("name", "a".repeat(63))).hasSize(63);
        assertThat(InputPolicy.subdomain("node", "a".repeat(63) + "." + "b".repeat(63) + ".c-d")).isNotNull();
        assertThat(InputPolicy.iface("interface", "enp0s31f6.100")).isNotNull();
        assertThat(InputPolicy.cluster("cluster", "prod:eu-west-1_A")).isNotNull();
    }

    @Test
    void theClockPolicyRefusesEventsTooFarAheadOfTheWallClock() {
        final long now = 1_800_000_000_000L;
        InputPolicy.checkClock(now + 300_000, now, 300_000);

        assertThatThrownBy(() -> InputPolicy.checkClock(now + 300_001, now, 300_000))
                .isInstanceOfSatisfying(InvalidRecordException.class,
                        e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.FUTURE_TIME))
                .hasMessageContaining("ahead of the wall clock");
    }

    @Test
    void everyReasonHasADistinctCamelCaseCode() {
        assertThat(List.of(DeadLetterReason.values())).extracting(DeadLetterReason::code)
                .doesNotHaveDuplicates().allMatch(code -> code.matches("[a-z][a-zA-Z]+"));
        assertThat(DeadLetterReason.ofCode("nullValue")).isEqualTo(DeadLetterReason.NULL_VALUE);
    }

    private static List<RecordingEntry> read(final String text) throws Exception {
        final List<RecordingEntry> entries = new ArrayList<>();
        try (RecordingReader reader = new RecordingReader(new ByteArrayInputStream(
                text.getBytes(StandardCharsets.UTF_8)), "x.jsonl")) {
            reader.forEach(entries::add);
        }
        final List<RecordingEntry> fromText = new ArrayList<>();
        try (RecordingReader reader = new RecordingReader(new StringReader(text), "x.jsonl")) {
            reader.forEach(fromText::add);
        }
        assertThat(fromText).hasSameSizeAs(entries);
        return entries;
    }
}
