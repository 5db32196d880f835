package io.vipwatch.schemas.policy;

/**
 * A record or line that breaks the input policy, with its {@link DeadLetterReason}. The message is the detail
 * (naming the field) without the reason code, so a recording reports it as {@code FILE:LINE: detail}.
 */
public class InvalidRecordException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final DeadLetterReason reason;

    public InvalidRecordException(final DeadLetterReason reason, final String detail) {
        super(detail);
        this.reason = reason;
    }

    public DeadLetterReason reason() {
        return reason;
    }
}
