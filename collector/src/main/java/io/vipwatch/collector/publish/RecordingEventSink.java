package io.vipwatch.collector.publish;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.UUID;

import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.schemas.event.NodeAddresses;
import io.vipwatch.schemas.recording.RecordingWriter;

/** Writes events as a recording (JSON Lines) to a file or, for {@code -}, standard output; flushed per line. */
public final class RecordingEventSink implements EventSink {

    private final RecordingWriter writer;
    private final boolean ownsStream;

    public RecordingEventSink(final Writer out, final boolean ownsStream) {
        this.writer = new RecordingWriter(out, true);
        this.ownsStream = ownsStream;
    }

    /** A file (appended to) or standard output for {@code -}. */
    public static RecordingEventSink open(final String fileOrDash) {
        if ("-".equals(fileOrDash)) {
            return new RecordingEventSink(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), false);
        }
        try {
            return new RecordingEventSink(Files.newBufferedWriter(Path.of(fileOrDash), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND), true);
        } catch (final IOException e) {
            throw new UncheckedIOException("--output " + fileOrDash + ": cannot open: " + e.getMessage(), e);
        }
    }

    @Override
    public void publish(final InputEvent event) {
        writer.write(event);
    }

    @Override
    public void nodeDeleted(final String cluster, final String node, final long observedAt, final String source) {
        writer.write(new NodeAddresses(cluster, observedAt, source, UUID.randomUUID().toString(), node, List.of(),
                true));
    }

    @Override
    public void flush() {
        try {
            writer.flush();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            if (ownsStream) {
                writer.close();
            } else {
                writer.flush();
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
