package io.vipwatch.schemas.recording;

import io.vipwatch.schemas.event.InputEvent;

/** One non-blank line of a recording: the event it holds, or why it holds none (errors as values). */
public record RecordingEntry(long line, InputEvent event, RecordingException error) {

    public boolean isError() {
        return error != null;
    }
}
