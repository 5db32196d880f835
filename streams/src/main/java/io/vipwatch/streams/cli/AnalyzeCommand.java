package io.vipwatch.streams.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.Locale;
import java.util.concurrent.Callable;

import io.vipwatch.schemas.policy.InputPolicy;
import io.vipwatch.schemas.policy.InvalidRecordException;
import io.vipwatch.schemas.recording.RecordingEntry;
import io.vipwatch.schemas.recording.RecordingException;
import io.vipwatch.schemas.recording.RecordingReader;
import io.vipwatch.schemas.cli.Usage;
import io.vipwatch.streams.core.AlertJson;
import io.vipwatch.streams.core.Alert;
import io.vipwatch.streams.core.DetectionSettings;
import io.vipwatch.streams.core.DetectionSink;
import io.vipwatch.streams.core.Detector;
import io.vipwatch.streams.core.InMemoryState;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vipwatch analyze FILE|-}: the detection core over a recording, in event time. Alert transitions go
 * to standard output, one JSON object a line; bad lines, the summary and logs go to standard error.
 */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = {"Runs the detection rules over a recording and prints alert transitions as JSON lines.",
            "Event time, one JSON object a line. Use it to audit a captured incident or to backtest tunables."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:analyzed (bad lines, if any, skipped)", "1:the recording could not be read",
            "2:bad usage, or a bad line with --strict"})
public final class AnalyzeCommand implements Callable<Integer> {

    @Mixin
    RecordingOptions recording = new RecordingOptions();

    @Mixin
    DetectionOptions detection;

    @Mixin
    ClockPolicyOptions clockPolicy = new ClockPolicyOptions();

    @Spec
    CommandSpec spec;

    public AnalyzeCommand() {
    }

    @Override
    public Integer call() {
        final DetectionSettings config = Usage.check(spec, detection::toConfig);
        final long maxSkewMs = Usage.check(spec, clockPolicy::maxClockSkew).toMillis();
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final StringBuilder buffer = new StringBuilder(1 << 16);
        final DetectionSink sink = new DetectionSink() {
            @Override
            public void alert(final Alert alert) {
                buffer.append(AlertJson.format(alert)).append('\n');
                if (buffer.length() > 1 << 15) {
                    out.write(buffer.toString());
                    buffer.setLength(0);
                }
            }
        };
        final Detector detector = new Detector(config, new InMemoryState(), sink);
        long events = 0;
        long bad = 0;
        final long start = System.nanoTime();
        // the clock policy, as live: an event dated more than --max-clock-skew ahead of the wall clock is a bad line
        long wallNow = System.currentTimeMillis();
        try (RecordingReader reader = RecordingReader.open(recording.input)) {
            RecordingEntry entry;
            while ((entry = reader.next()) != null) {
                if (!entry.isError() && entry.event().observedAt() > wallNow + maxSkewMs) {
                    wallNow = System.currentTimeMillis(); // a recording read from a live pipe: the wall clock moved
                    try {
                        InputPolicy.checkClock(entry.event().observedAt(), wallNow, maxSkewMs);
                    } catch (final InvalidRecordException e) {
                        entry = new RecordingEntry(entry.line(), null,
                                new RecordingException(reader.file(), entry.line(), e.getMessage()));
                    }
                }
                if (entry.isError()) {
                    bad++;
                    err.println(entry.error().getMessage());
                    if (recording.strict) {
                        flush(out, buffer);
                        err.println("stopped at the first bad line (--strict)");
                        err.flush();
                        return CommandLine.ExitCode.USAGE;
                    }
                    continue;
                }
                detector.accept(entry.event(), 0L);
                events++;
            }
        } catch (final NoSuchFileException e) {
            err.println(recording.input + ": no such file");
            return CommandLine.ExitCode.USAGE;
        } catch (final IOException | UncheckedIOException e) {
            flush(out, buffer);
            err.println(recording.input + ": cannot read: " + e.getMessage());
            return CommandLine.ExitCode.SOFTWARE;
        }
        detector.finish();
        flush(out, buffer);
        final double seconds = (System.nanoTime() - start) / 1e9;
        err.println(String.format(Locale.ROOT, "analyzed %d events in %.3f s (%.0f events/s), %d bad line%s skipped",
                events, seconds, seconds > 0 ? events / seconds : 0.0, bad, bad == 1 ? "" : "s"));
        err.flush();
        return CommandLine.ExitCode.OK;
    }

    private static void flush(final PrintWriter out, final StringBuilder buffer) {
        out.write(buffer.toString());
        buffer.setLength(0);
        out.flush();
    }
}
