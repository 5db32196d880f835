package io.vipwatch.streams.internal;

import io.vipwatch.schemas.policy.DeadLetterReason;

/**
 * An input record the topology cannot use, with its {@link DeadLetterReason} (the one list of every role, in
 * {@code schemas}). The message starts with the reason code; {@link DeadLetterHandler} dead-letters the original
 * record with the contract's headers ({@link io.vipwatch.schemas.policy.DeadLetters}).
 */
public final class BadRecordException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final DeadLetterReason reason;

    public BadRecordException(final DeadLetterReason reason, final String detail) {
        super(reason.code() + ": " + detail, null, false, false);
        this.reason = reason;
    }

    /** The reason code ({@code undecodable}, {@code futureTime}, ...). */
    public String reason() {
        return reason.code();
    }

    public DeadLetterReason deadLetterReason() {
        return reason;
    }

    /** The detail, without the reason code. */
    public String detail() {
        return getMessage().substring(reason.code().length() + 2);
    }
}
