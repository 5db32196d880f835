package io.vipwatch.streams.cli;

import io.vipwatch.schemas.cli.DurationConverter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import io.vipwatch.schemas.cli.KafkaOptions;
import io.vipwatch.schemas.cli.StopSignal;
import io.vipwatch.schemas.recording.RecordingEntry;
import io.vipwatch.schemas.recording.RecordingReader;
import io.vipwatch.schemas.publish.InputPublisher;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vipwatch replay FILE|-}: publishes a recording to the input topics, keeping event times. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Publishes a recording to the input topics (Avro), keeping event times.",
            "Each event's time is its record timestamp and all of a cluster's events share one partition index;",
            "as fast as possible or paced."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:published (bad lines, if any, skipped), or stopped on request (SIGTERM, SIGINT) after "
                + "flushing what was sent", "1:Kafka or the file failed",
            "2:bad usage, or a bad line with --strict"})
public final class ReplayCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE|-", description = "Recording (JSON Lines), or - for standard input.")
    String input;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--speed", paramLabel = "N", defaultValue = "${env:VIPWATCH_REPLAY_SPEED:-0}",
            description = "Pace at N times the recorded speed (1 = real time); 0 = as fast as possible (env VIPWATCH_REPLAY_SPEED; default ${DEFAULT-VALUE}).")
    double speed;

    @Option(names = "--progress-every", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "${env:VIPWATCH_REPLAY_PROGRESS:-2s}",
            description = "How often to print a progress line on standard error (env VIPWATCH_REPLAY_PROGRESS; default ${DEFAULT-VALUE}).")
    Duration progressEvery;

    @Option(names = "--strict", description = "Stop at the first bad line (exit 2) instead of skipping it.")
    boolean strict;

    @Spec
    CommandSpec spec;

    public ReplayCommand() {
    }

    @Override
    public Integer call() throws InterruptedException {
        if (speed < 0 || Double.isNaN(speed) || Double.isInfinite(speed)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--speed must be 0 or positive, got " + speed);
        }
        final java.util.Properties client;
        try {
            client = kafka.clientProperties();
        } catch (final IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        final PrintWriter err = spec.commandLine().getErr();
        long bad = 0;
        final long start = System.nanoTime();
        long lastProgress = start;
        long firstEventTime = Long.MIN_VALUE;
        try (StopSignal stop = StopSignal.install("replay");
                RecordingReader reader = RecordingReader.open(input);
                InputPublisher replayer = new InputPublisher(client, kafka.topics())) {
            RecordingEntry entry;
            while (!stop.stopRequested() && (entry = reader.next()) != null) {
                if (entry.isError()) {
                    bad++;
                    err.println(entry.error().getMessage());
                    if (strict) {
                        replayer.flush();
                        err.println("stopped at the first bad line (--strict); " + replayer.sent() + " events published");
                        return CommandLine.ExitCode.USAGE;
                    }
                    continue;
                }
                final long ts = entry.event().observedAt();
                if (firstEventTime == Long.MIN_VALUE) {
                    firstEventTime = ts;
                }
                if (speed > 0) {
                    final long due = start + (long) ((ts - firstEventTime) * 1e6 / speed);
                    final long wait = due - System.nanoTime();
                    if (wait > 0 && stop.awaitStop(wait, TimeUnit.NANOSECONDS)) {
                        break;
                    }
                }
                replayer.publish(entry.event());
                final long now = System.nanoTime();
                if (now - lastProgress >= progressEvery.toNanos()) {
                    lastProgress = now;
                    err.println(progress(replayer.sent(), bad, now - start, ts));
                    err.flush();
                }
            }
            replayer.flush();
            err.println(progress(replayer.sent(), bad, System.nanoTime() - start, Long.MIN_VALUE)
                    + (stop.stopRequested() ? ", stopped on request" : ", done"));
            err.flush();
            return CommandLine.ExitCode.OK;
        } catch (final NoSuchFileException e) {
            err.println(input + ": no such file");
            return CommandLine.ExitCode.USAGE;
        } catch (final IOException | java.io.UncheckedIOException | IllegalStateException
                | org.apache.kafka.common.KafkaException e) {
            err.println("replay failed: " + e.getMessage());
            return CommandLine.ExitCode.SOFTWARE;
        }
    }

    private static String progress(final long sent, final long bad, final long nanos, final long eventTime) {
        final double seconds = nanos / 1e9;
        return String.format(Locale.ROOT, "replayed %d events in %.1f s (%.0f events/s), %d bad line%s%s", sent,
                seconds, seconds > 0 ? sent / seconds : 0.0, bad, bad == 1 ? "" : "s",
                eventTime == Long.MIN_VALUE ? "" : ", at " + java.time.Instant.ofEpochMilli(eventTime));
    }
}
