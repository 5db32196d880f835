package io.vipwatch.streams.cli;

import io.vipwatch.schemas.cli.DurationConverter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import io.vipwatch.schemas.TopicRetention;
import io.vipwatch.schemas.cli.KafkaOptions;
import io.vipwatch.schemas.cli.StopSignal;
import io.vipwatch.schemas.cli.Usage;
import io.vipwatch.schemas.publish.EventTimePacer;
import io.vipwatch.schemas.publish.InputPublisher;
import io.vipwatch.schemas.recording.RecordingEntry;
import io.vipwatch.schemas.recording.RecordingReader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vipwatch replay FILE|-}: publishes a recording to the input topics, keeping event times. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Publishes a recording to the input topics (Avro), keeping event times.",
            "Each event's time is its record timestamp and all of a cluster's events share one partition index;",
            "as fast as possible or paced."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:published (bad lines, if any, skipped), or stopped on request (SIGTERM, SIGINT) after "
                + "flushing what was sent", "1:Kafka or the file failed, or an input topic does not exist",
            "2:bad usage, a bad line with --strict, or a recording older than an input topic's retention"})
public final class ReplayCommand implements Callable<Integer> {

    @Mixin
    RecordingOptions recording = new RecordingOptions();

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--speed", paramLabel = "N", defaultValue = "${env:VIPWATCH_REPLAY_SPEED:-0}",
            description = "Pace at N times the recorded speed (1 = real time); 0 = as fast as possible (env VIPWATCH_REPLAY_SPEED; default ${DEFAULT-VALUE}).")
    double speed;

    @Option(names = "--progress-every", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "${env:VIPWATCH_REPLAY_PROGRESS:-2s}",
            description = "How often to print a progress line on standard error (env VIPWATCH_REPLAY_PROGRESS; default ${DEFAULT-VALUE}).")
    Duration progressEvery;

    @Spec
    CommandSpec spec;

    /** Events this close to their topic's retention are refused too: a lagging topology would not read them in time. */
    static final Duration RETENTION_MARGIN = Duration.ofHours(1);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    public ReplayCommand() {
    }

    @Override
    public Integer call() throws InterruptedException {
        if (speed < 0 || Double.isNaN(speed) || Double.isInfinite(speed)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--speed must be 0 or positive, got " + speed);
        }
        final Properties client = Usage.check(spec, kafka::clientProperties);
        final PrintWriter err = spec.commandLine().getErr();
        final Map<String, TopicRetention> retention;
        try {
            retention = retention(client, err);
        } catch (final IllegalStateException e) {
            err.println("replay: " + e.getMessage());
            return CommandLine.ExitCode.SOFTWARE;
        }
        long bad = 0;
        final long start = System.nanoTime();
        long lastProgress = start;
        boolean first = true;
        final EventTimePacer pacer = new EventTimePacer(speed);
        try (StopSignal stop = StopSignal.install("replay");
                RecordingReader reader = RecordingReader.open(recording.input);
                InputPublisher replayer = new InputPublisher(client, kafka.topics())) {
            RecordingEntry entry;
            while (!stop.stopRequested() && (entry = reader.next()) != null) {
                if (entry.isError()) {
                    bad++;
                    err.println(entry.error().getMessage());
                    if (recording.strict) {
                        replayer.flush();
                        err.println("stopped at the first bad line (--strict); " + replayer.sent() + " events published");
                        return CommandLine.ExitCode.USAGE;
                    }
                    continue;
                }
                final long ts = entry.event().observedAt();
                if (first) {
                    first = false;
                    final String refusal = refusal(retention, ts, System.currentTimeMillis());
                    if (refusal != null) {
                        err.println(refusal);
                        return CommandLine.ExitCode.USAGE;
                    }
                }
                final long wait = pacer.nanosUntilDue(ts);
                if (wait > 0 && stop.awaitStop(wait, TimeUnit.NANOSECONDS)) {
                    break;
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
            err.println(recording.input + ": no such file");
            return CommandLine.ExitCode.USAGE;
        } catch (final IOException | UncheckedIOException | IllegalStateException
                | KafkaException e) {
            err.println("replay failed: " + e.getMessage());
            return CommandLine.ExitCode.SOFTWARE;
        }
    }

    /**
     * The retention of the input topics; empty (with a warning) when the broker will not say.
     *
     * @throws IllegalStateException naming the topic when an input topic does not exist
     */
    private Map<String, TopicRetention> retention(final Properties client, final PrintWriter err) {
        final List<String> inputs = kafka.topics().inputs();
        try (Admin admin = Admin.create(client)) {
            return TopicRetention.describe(admin, inputs, ADMIN_TIMEOUT);
        } catch (final ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new IllegalStateException("an input topic does not exist (" + e.getCause().getMessage()
                        + " among " + String.join(", ", inputs) + "): create them first, e.g. with vipwatch streams "
                        + "--create-topics N", e);
            }
            warnUnknownRetention(err, e.getCause());
        } catch (final TimeoutException e) {
            warnUnknownRetention(err, e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            warnUnknownRetention(err, e);
        }
        return Map.of();
    }

    private static void warnUnknownRetention(final PrintWriter err, final Throwable why) {
        err.println("replay: cannot read the retention of the input topics (" + why + "); the broker deletes events "
                + "older than a topic's retention soon after they are replayed");
        err.flush();
    }

    /**
     * Why a recording starting at {@code oldest} must not be replayed, or null: the broker deletes records by their
     * time, which is the event's, so events older than a topic's retention would vanish within minutes, before the
     * topology reads them. The first event stands for the recording (recordings are in time order), and every input
     * topic counts, since any type of event may follow.
     */
    static String refusal(final Map<String, TopicRetention> retention, final long oldest, final long now) {
        final List<TopicRetention> expiring = retention.values().stream()
                .filter(topic -> topic.expires(oldest, now, RETENTION_MARGIN)).toList();
        if (expiring.isEmpty()) {
            return null;
        }
        return "replay: refused: the recording starts at " + Instant.ofEpochMilli(oldest) + ", older than the "
                + "retention of " + expiring.stream().map(t -> t.topic() + " (" + t.describeRetention() + ")")
                        .collect(Collectors.joining(", "))
                + ". The broker deletes records by their time, which is the event's: these would be gone within "
                + "minutes, before the topology reads them. Give the input topics a retention regardless of time, as "
                + "vipwatch streams --create-topics creates them, e.g. kafka-configs.sh --bootstrap-server HOST:PORT "
                + "--alter --entity-type topics --entity-name " + expiring.get(0).topic()
                + " --add-config retention.ms=-1";
    }

    private static String progress(final long sent, final long bad, final long nanos, final long eventTime) {
        final double seconds = nanos / 1e9;
        return String.format(Locale.ROOT, "replayed %d events in %.1f s (%.0f events/s), %d bad line%s%s", sent,
                seconds, seconds > 0 ? sent / seconds : 0.0, bad, bad == 1 ? "" : "s",
                eventTime == Long.MIN_VALUE ? "" : ", at " + Instant.ofEpochMilli(eventTime));
    }
}
