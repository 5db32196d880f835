package io.vipwatch.streams.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The minimal recordings of issue 9 ("Detection exactness": F1-F4 and some of the questions docs/detection.md
 * answers since), each through {@code vipwatch analyze}: the alert lines a user would read, as
 * "STATE KIND at nodes service".
 */
class ExactnessRecordingsTest {

    private static final Pattern LINE = Pattern.compile("\\{\"state\":\"(\\w+)\",\"kind\":\"(\\w+)\",.*"
            + "\"service\":(null|\"[^\"]*\"),\"nodes\":\\[([^]]*)],\"at\":\"([^\"]+)\",.*");

    static Stream<Arguments> recordings() {
        return Stream.of(
                Arguments.of("f1-bgp-announcer-is-not-orphaned.jsonl", List.of()),
                Arguments.of("f2-deleted-node-before-grace.jsonl", List.of()),
                Arguments.of("f2-deleted-node-after-open.jsonl", List.of(
                        "OPENED EXCLUDED_NODE_OWNER 2026-11-01T00:00:25Z [n1] default/web",
                        "RESOLVED EXCLUDED_NODE_OWNER 2026-11-01T00:00:45Z [n1] default/web")),
                Arguments.of("f2-address-tombstone-after-open.jsonl", List.of(
                        "OPENED EXCLUDED_NODE_OWNER 2026-11-01T00:00:25Z [n1] default/web",
                        "RESOLVED EXCLUDED_NODE_OWNER 2026-11-01T00:00:45Z [n1] default/web")),
                Arguments.of("f3-flapping-service-changes.jsonl", List.of(
                        "OPENED FLAPPING 2026-11-01T00:00:32Z [n1, n2] default/a",
                        "UPDATED FLAPPING 2026-11-01T00:00:40Z [n1, n2] default/b",
                        "OPENED DUPLICATE_RESPONDERS 2026-11-01T00:00:45Z [n1, n2] default/b")),
                Arguments.of("f4-another-services-announcement.jsonl", List.of(
                        "OPENED FOREIGN_BINDING 2026-11-01T00:00:17Z [n1] default/web")),
                // questions the document left open, answered there ("The model", "Which Service an alert names")
                Arguments.of("ip-announced-and-withdrawn-in-one-millisecond.jsonl", List.of()),
                Arguments.of("unclaimed-ip-names-first-announcing-service.jsonl", List.of(
                        "OPENED DUPLICATE_RESPONDERS 2026-11-01T00:00:15Z [cp-1, worker-1] default/api",
                        "OPENED ORPHANED 2026-11-01T00:00:15Z [cp-1, worker-1] default/api")),
                Arguments.of("last-claimant-tie.jsonl", List.of(
                        "OPENED ORPHANED 2026-11-01T00:00:35Z [n1] default/api")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recordings")
    void analyzePrintsExactlyTheDocumentedTransitions(final String recording, final List<String> expected)
            throws URISyntaxException {
        final Path file = Path.of(ExactnessRecordingsTest.class.getResource("/exactness/" + recording).toURI());

        final AnalyzeCommandTest.Run run = AnalyzeCommandTest.analyze(file.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(summaries(run.stdout())).containsExactlyElementsOf(expected);
    }

    static List<String> summaries(final List<String> lines) {
        final List<String> out = new ArrayList<>();
        for (final String line : lines) {
            final Matcher m = LINE.matcher(line);
            assertThat(m.matches()).as(line).isTrue();
            out.add(m.group(1) + " " + m.group(2) + " " + m.group(5) + " [" + m.group(4).replace("\"", "")
                    .replace(",", ", ") + "] " + m.group(3).replace("\"", ""));
        }
        return out;
    }
}
