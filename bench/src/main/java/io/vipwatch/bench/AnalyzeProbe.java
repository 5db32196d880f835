package io.vipwatch.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.vipwatch.schemas.recording.RecordingEntry;
import io.vipwatch.schemas.recording.RecordingReader;
import io.vipwatch.streams.cli.AnalyzeCommand;

import picocli.CommandLine;

/**
 * Child JVM of the analyze benchmark: {@code read FILE} only reads and parses the recording
 * ({@link RecordingReader}, the baseline); {@code analyze FILE} runs the {@code vipwatch analyze} command on it
 * (alerts discarded). Prints {@code events=… seconds=… eps=… alerts=…}.
 */
public final class AnalyzeProbe {

    private static final Pattern ANALYZED = Pattern.compile("analyzed (\\d+) events");

    private AnalyzeProbe() {
    }

    public static void main(final String[] args) throws IOException {
        final String file = args[1];
        final long start = System.nanoTime();
        long events = 0;
        long alerts = 0;
        if (args[0].equals("read")) {
            try (RecordingReader reader = RecordingReader.open(file)) {
                RecordingEntry entry;
                while ((entry = reader.next()) != null) {
                    if (!entry.isError()) {
                        events++;
                    }
                }
            }
        } else {
            final long[] lines = new long[1];
            final Writer counting = new Writer() {
                @Override
                public void write(final char[] buffer, final int offset, final int length) {
                    for (int i = offset; i < offset + length; i++) {
                        if (buffer[i] == '\n') {
                            lines[0]++;
                        }
                    }
                }

                @Override
                public void flush() {
                }

                @Override
                public void close() {
                }
            };
            final StringWriter err = new StringWriter();
            final int code = new CommandLine(new AnalyzeCommand()).setOut(new PrintWriter(counting))
                    .setErr(new PrintWriter(err)).execute(file);
            if (code != 0) {
                System.err.println(err);
                System.exit(code);
            }
            final Matcher m = ANALYZED.matcher(err.toString());
            events = m.find() ? Long.parseLong(m.group(1)) : -1;
            alerts = lines[0];
        }
        final double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "events=%d seconds=%.3f eps=%.0f alerts=%d%n", events, seconds, events / seconds,
                alerts);
    }
}
