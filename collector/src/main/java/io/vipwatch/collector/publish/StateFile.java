package io.vipwatch.collector.publish;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.schemas.recording.RecordingEntry;
import io.vipwatch.schemas.recording.RecordingReader;
import io.vipwatch.schemas.recording.RecordingWriter;

/**
 * The API collector's memory when it writes a recording ({@code --state-file FILE}): the events it has published and
 * not taken back, as a recording (one JSON object a line). Rewritten whole after each batch of changes, through a
 * temporary file renamed over it, so a crash leaves the old or the new state, never half of one.
 */
public final class StateFile implements PublicationMemory {

    private final Path file;
    private final String cluster;

    public StateFile(final Path file, final String cluster) {
        this.file = file;
        this.cluster = cluster;
    }

    /**
     * @throws IllegalArgumentException naming {@code FILE:LINE} for a line that is not an event this collector
     *         published, or the file when it holds another cluster
     */
    @Override
    public List<InputEvent> load() {
        final List<InputEvent> events = new ArrayList<>();
        try (RecordingReader reader = new RecordingReader(Files.newInputStream(file), file.toString())) {
            RecordingEntry entry;
            long line = 0;
            while ((entry = reader.next()) != null) {
                line++;
                if (entry.isError()) {
                    throw new IllegalArgumentException("--state-file " + entry.error().getMessage());
                }
                final InputEvent event = entry.event();
                if (PublishedState.identity(event) == null || PublishedState.isDeletion(event)) {
                    throw new IllegalArgumentException("--state-file " + file + ": a " + event.type()
                            + " line is no published object's state (line " + line + ")");
                }
                if (!cluster.equals(event.cluster())) {
                    throw new IllegalArgumentException("--state-file " + file + " holds cluster " + event.cluster()
                            + ", but this collector collects " + cluster);
                }
                events.add(event);
            }
        } catch (final NoSuchFileException e) {
            return List.of(); // the first run
        } catch (final IOException e) {
            throw new UncheckedIOException("--state-file " + file + ": cannot read: " + e.getMessage(), e);
        }
        return events;
    }

    @Override
    public void save(final Map<String, InputEvent> changes, final PublishedState all) {
        final Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            try (Writer out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8);
                    RecordingWriter writer = new RecordingWriter(out, false)) {
                all.entries().values().forEach(writer::write);
            }
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (final IOException e) {
            throw new UncheckedIOException("--state-file " + file + ": cannot write: " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return "the state file " + file;
    }

    @Override
    public void close() {
    }
}
