package io.vipwatch.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.vipwatch.schemas.recording.RecordingWriter;

/**
 * {@code analyze}: {@code vipwatch analyze} events/s over a fleet recording (20 clusters x 30 nodes x 40 Services,
 * with incidents) on one core, beside the read-only baseline (the recording reader alone). Each run is a fresh
 * child JVM with {@code -XX:ActiveProcessorCount=1 -Xmx1g}, pinned with {@code taskset -c 1} where taskset exists;
 * sides alternate after one warm-up run each.
 */
final class AnalyzeBench {

    private AnalyzeBench() {
    }

    static Result run(final BenchRun run) {
        final Path file = run.scratch("analyze").resolve("fleet.jsonl");
        final long events;
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
                RecordingWriter writer = new RecordingWriter(out, false)) {
            events = TopologyBench.fleet(TopologyBench.CLUSTERS).generate(run.sizes().analyzeEvents(), writer::write);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        final List<String> jvm = List.of("-XX:ActiveProcessorCount=1", "-Xmx1g");
        final List<Double> read = new ArrayList<>();
        final List<Double> analyze = new ArrayList<>();
        final List<Map<String, Object>> rounds = new ArrayList<>();
        double alerts = -1;
        for (final Stats.Round round : Stats.alternation(run.sizes().rounds())) {
            final boolean baseline = round.side() == Stats.Side.BASELINE;
            final List<String> lines = ChildJvm.run(true, jvm, AnalyzeProbe.class, 1800, baseline ? "read" : "analyze",
                    file.toString());
            final double eps = ChildJvm.value(lines, "eps");
            if (!baseline) {
                alerts = ChildJvm.value(lines, "alerts");
            }
            run.progress("analyze %s round %d%s: %,.0f events/s", baseline ? "read-only" : "analyze", round.round(),
                    round.warmUp() ? " (warm-up)" : "", eps);
            rounds.add(Map.of("side", baseline ? "read" : "analyze", "round", round.round(), "warmUp", round.warmUp(),
                    "eventsPerSecond", eps));
            if (!round.warmUp()) {
                (baseline ? read : analyze).add(eps);
            }
        }
        final double eps = Stats.median(analyze);
        final double base = Stats.median(read);
        return Result.of("analyze")
                .put("events", events)
                .put("recordingBytes", size(file))
                .put("alerts", (long) alerts)
                .put("pinned", ChildJvm.tasksetAvailable() ? "taskset -c 1" : "no taskset")
                .put("jvm", jvm)
                .put("readEventsPerSecond", base)
                .put("analyzeEventsPerSecond", eps)
                .put("ratio", eps / base)
                .put("target", 300_000)
                .put("targetMet", eps >= 300_000)
                .put("rounds", rounds)
                .summary(String.format(Locale.ROOT, "analyze: %,.0f events/s on one core vs read-only %,.0f events/s "
                        + "(%,d events, median of %d runs each): %.2fx of the baseline (target >= 300,000 events/s)",
                        eps, base, events, analyze.size(), eps / base));
    }

    private static long size(final Path file) {
        try {
            return Files.size(file);
        } catch (final IOException e) {
            return -1;
        }
    }
}
