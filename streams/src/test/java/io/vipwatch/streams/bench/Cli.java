package io.vipwatch.streams.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.schemas.recording.RecordingEntry;
import io.vipwatch.schemas.recording.RecordingReader;
import io.vipwatch.streams.cli.AnalyzeCommand;
import io.vipwatch.streams.cli.ReplayCommand;
import io.vipwatch.streams.cli.StreamsCommand;
import io.vipwatch.streams.core.DetectionSettings;
import io.vipwatch.streams.core.Detector;
import io.vipwatch.streams.core.InMemoryState;
import io.vipwatch.streams.fleet.FleetRecording;
import picocli.CommandLine;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Runs the module's commands without the app (benchmarks, manual checks):
 * {@code Cli generate OUT EVENTS [CLUSTERS NODES SERVICES incidents]}, {@code Cli analyze ...}, {@code Cli replay ...}.
 */
public final class Cli {

    private Cli() {
    }

    /** The baseline of analyze: only read and parse the recording. */
    static void read(final String file) throws IOException {
        final long start = System.nanoTime();
        long events = 0;
        long bad = 0;
        try (RecordingReader reader = RecordingReader.open(file)) {
            RecordingEntry entry;
            while ((entry = reader.next()) != null) {
                if (entry.isError()) {
                    bad++;
                } else {
                    events++;
                }
            }
        }
        final double seconds = (System.nanoTime() - start) / 1e9;
        System.err.printf(Locale.ROOT, "read %d events in %.3f s (%.0f events/s), %d bad lines%n", events,
                seconds, events / seconds, bad);
    }

    /** Where the reader's time goes: reading lines only, then lines plus Jackson's readTree (no event building). */
    static void lines(final String file) throws IOException {
        final ObjectMapper json = new ObjectMapper();
        for (final boolean tree : new boolean[] {false, true}) {
            final long start = System.nanoTime();
            long lines = 0;
            try (BufferedReader in = Files.newBufferedReader(Path.of(file))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (tree) {
                        json.readTree(line);
                    }
                    lines++;
                }
            }
            final double seconds = (System.nanoTime() - start) / 1e9;
            System.err.printf(Locale.ROOT, "%s %d lines in %.3f s (%.0f lines/s)%n",
                    tree ? "readLine+readTree" : "readLine", lines, seconds, lines / seconds);
        }
    }

    /** The detection core alone: the recording is parsed first (not timed), then every event is detected. */
    static void core(final String file) throws IOException {
        final List<InputEvent> events = new ArrayList<>();
        try (RecordingReader reader = RecordingReader.open(file)) {
            RecordingEntry entry;
            while ((entry = reader.next()) != null) {
                if (!entry.isError()) {
                    events.add(entry.event());
                }
            }
        }
        final long[] alerts = new long[1];
        final Detector detector = new Detector(
                DetectionSettings.defaults(), new InMemoryState(),
                alert -> alerts[0]++);
        final long start = System.nanoTime();
        for (final InputEvent event : events) {
            detector.accept(event);
        }
        detector.finish();
        final double seconds = (System.nanoTime() - start) / 1e9;
        System.err.printf(Locale.ROOT, "detected %d events in %.3f s (%.0f events/s), %d alerts%n",
                events.size(), seconds, events.size() / seconds, alerts[0]);
    }

    public static void main(final String[] args) throws Exception {
        final String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "generate" -> FleetRecording.main(rest);
            case "analyze" -> System.exit(new CommandLine(new AnalyzeCommand()).execute(rest));
            case "replay" -> System.exit(new CommandLine(new ReplayCommand()).execute(rest));
            case "streams" -> System.exit(new CommandLine(new StreamsCommand()).execute(rest));
            case "read" -> read(rest[0]);
            case "core" -> core(rest[0]);
            case "lines" -> lines(rest[0]);
            default -> throw new IllegalArgumentException("unknown command " + args[0]);
        }
    }
}
