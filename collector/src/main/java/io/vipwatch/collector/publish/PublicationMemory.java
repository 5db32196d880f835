package io.vipwatch.collector.publish;

import java.util.List;
import java.util.Map;

import io.vipwatch.schemas.event.InputEvent;

/**
 * Where the API collector keeps what it has published ({@link PublishedState}) between runs, so that a restarted
 * collector publishes exactly the changes of its absence — deletions included — and nothing for what is unchanged:
 * the compacted topic {@code vipwatch.collector-state.v1} when it publishes to Kafka, a state file when it writes a
 * recording. Saved only after the events it describes are written, so a crash between the two can repeat an event
 * on the next start, never lose one.
 */
public interface PublicationMemory extends AutoCloseable {

    /** No memory: a start publishes everything it lists and nothing that vanished meanwhile. */
    PublicationMemory NONE = new PublicationMemory() {
        @Override
        public List<InputEvent> load() {
            return List.of();
        }

        @Override
        public void save(final Map<String, InputEvent> changes, final PublishedState all) {
        }

        @Override
        public String describe() {
            return "no memory";
        }

        @Override
        public void close() {
        }
    };

    /**
     * What was published before and not taken back: UPSERTs, ANNOUNCEs and NodeFacts of this collector's cluster.
     *
     * @throws IllegalStateException naming the topic or file when it cannot be read
     */
    List<InputEvent> load();

    /**
     * Records what changed since the last save, after those events were written (flushed): identity -> the event now
     * live, or null when taken back. {@code all} is the whole state after the changes.
     */
    void save(Map<String, InputEvent> changes, PublishedState all);

    /** Where the memory is, for logs. */
    String describe();

    @Override
    void close();
}
