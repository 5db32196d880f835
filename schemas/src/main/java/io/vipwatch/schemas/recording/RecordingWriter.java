package io.vipwatch.schemas.recording;

import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;

import io.vipwatch.schemas.event.InputEvent;

/** Writes events as a recording, one JSON object a line. Thread-safe; flushes after every line if asked. */
public final class RecordingWriter implements Closeable, Flushable {

    private final Writer out;
    private final boolean flushEachLine;

    public RecordingWriter(final Writer out, final boolean flushEachLine) {
        this.out = out;
        this.flushEachLine = flushEachLine;
    }

    public synchronized void write(final InputEvent event) {
        try {
            out.write(RecordingCodec.format(event));
            out.write('\n');
            if (flushEachLine) {
                out.flush();
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write the recording: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void flush() throws IOException {
        out.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
