package io.vipwatch.schemas.recording;

/** A line of a recording that is not a valid event; the message reads {@code FILE:LINE: reason}. */
public final class RecordingException extends RuntimeException {

    private final String file;
    private final long line;
    private final String reason;

    public RecordingException(final String file, final long line, final String reason) {
        super(file + ":" + line + ": " + reason);
        this.file = file;
        this.line = line;
        this.reason = reason;
    }

    public String file() {
        return file;
    }

    public long line() {
        return line;
    }

    public String reason() {
        return reason;
    }
}
