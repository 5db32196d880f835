package io.vipwatch.schemas.recording;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Reads a recording line by line. Blank lines and lines starting with {@code #} are skipped; every
 * other line is an event or an error naming {@code FILE:LINE: reason}, so one bad line loses nothing else.
 */
public final class RecordingReader implements Closeable, Iterable<RecordingEntry> {

    private final BufferedReader in; // text mode (a Reader was given), else null
    private final ByteLines bytes; // byte mode: lines parsed as UTF-8 without making Strings of them
    private final FastLineParser parser; // byte mode: its strings shared between lines
    private final String file;
    private long lineNumber;

    public RecordingReader(final Reader in, final String file) {
        this.in = in instanceof BufferedReader buffered ? buffered : new BufferedReader(in, 1 << 16);
        this.bytes = null;
        this.parser = null;
        this.file = file;
    }

    /** Reads UTF-8 lines from a stream: the fast way, used for files and standard input. */
    public RecordingReader(final InputStream in, final String file) {
        this.in = null;
        this.bytes = new ByteLines(in);
        this.parser = new FastLineParser();
        this.file = file;
    }

    /** Opens a file, or standard input for {@code -}. */
    public static RecordingReader open(final String fileOrDash) throws IOException {
        if ("-".equals(fileOrDash)) {
            return new RecordingReader(System.in, "-");
        }
        return new RecordingReader(Files.newInputStream(Path.of(fileOrDash)), fileOrDash);
    }

    public String file() {
        return file;
    }

    /** The next entry, or null at the end. */
    public RecordingEntry next() {
        if (bytes == null) {
            return nextFromText();
        }
        // the byte mode in place, not in a method of its own: one level less of the same code for the JIT to compile
        // again (each level called once per line is compiled on its own and again inlined into its caller)
        try {
            while (bytes.next()) {
                lineNumber++;
                if (bytes.isBlankOrComment()) {
                    continue;
                }
                try {
                    return new RecordingEntry(lineNumber,
                            parser.parse(bytes.buffer(), bytes.start(), bytes.length()), null);
                } catch (final IllegalArgumentException e) {
                    return new RecordingEntry(lineNumber, null, new RecordingException(file, lineNumber, e.getMessage()));
                }
            }
            return null;
        } catch (final IOException e) {
            throw new UncheckedIOException(file + ":" + (lineNumber + 1) + ": cannot read: " + e.getMessage(), e);
        }
    }

    private RecordingEntry nextFromText() {
        try {
            String line;
            while ((line = in.readLine()) != null) {
                lineNumber++;
                if (line.isBlank() || line.stripLeading().startsWith("#")) {
                    continue;
                }
                try {
                    return new RecordingEntry(lineNumber, RecordingCodec.parse(line), null);
                } catch (final IllegalArgumentException e) {
                    return new RecordingEntry(lineNumber, null, new RecordingException(file, lineNumber, e.getMessage()));
                }
            }
            return null;
        } catch (final IOException e) {
            throw new UncheckedIOException(file + ":" + (lineNumber + 1) + ": cannot read: " + e.getMessage(), e);
        }
    }

    @Override
    public Iterator<RecordingEntry> iterator() {
        return new Iterator<>() {
            private RecordingEntry ahead = RecordingReader.this.next();

            @Override
            public boolean hasNext() {
                return ahead != null;
            }

            @Override
            public RecordingEntry next() {
                if (ahead == null) {
                    throw new NoSuchElementException();
                }
                final RecordingEntry current = ahead;
                ahead = RecordingReader.this.next();
                return current;
            }
        };
    }

    @Override
    public void close() throws IOException {
        if (in != null) {
            in.close();
        } else {
            bytes.close();
        }
    }
}
