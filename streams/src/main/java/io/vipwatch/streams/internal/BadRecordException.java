package io.vipwatch.streams.internal;

/**
 * An input record the topology cannot use. The message starts with a short camelCase reason code
 * ({@code undecodable}, {@code unknownFingerprint}, {@code oversized}, {@code invalidIp}, {@code missingField},
 * {@code badKey}, {@code nullValue}); the built-in dead-letter queue copies it into the
 * {@code __streams.errors.message} header next to the source topic, partition and offset.
 */
public final class BadRecordException extends RuntimeException {

    private final String reason;

    public BadRecordException(final String reason, final String detail) {
        super(reason + ": " + detail);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
