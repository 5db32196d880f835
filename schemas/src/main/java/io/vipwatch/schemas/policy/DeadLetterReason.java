package io.vipwatch.schemas.policy;

/**
 * Why a record went to the dead-letter topic: one list for every role (streams and store). The {@link #code()}
 * is the value of the {@link DeadLetters#REASON} header and the first word of {@link DeadLetters#DETAIL}, in logs
 * and metrics. docs/reliability.md lists them; add codes freely, never rename one.
 */
public enum DeadLetterReason {
    /** Not the Avro single-object encoding of its topic's record, or a body that does not match the schema. */
    UNDECODABLE("undecodable"),
    /** Single-object encoding with a schema fingerprint no known writer schema has. */
    UNKNOWN_FINGERPRINT("unknownFingerprint"),
    /** Larger than the decoder's limit (1 MiB), or a length or count inside that promises more than it holds. */
    OVERSIZED("oversized"),
    /** An IP that is not an IPv4 or IPv6 address (zone ids and leading zeros are refused). */
    INVALID_IP("invalidIp"),
    /** A MAC that is not six two-digit lowercase hex groups separated by ':' ({@code aa:bb:cc:dd:ee:ff}). */
    INVALID_MAC("invalidMac"),
    /** A required field is null or empty. */
    MISSING_FIELD("missingField"),
    /** A field holds U+0000 (no identifier may, and PostgreSQL text cannot hold it). */
    NUL_CHARACTER("nulCharacter"),
    /** An identifier breaks its limit: Kubernetes' name rules, or vipwatch's length and character bounds. */
    BAD_IDENTIFIER("badIdentifier"),
    /** {@code observedAt} (or another time) outside 1970-01-01 .. 9999-12-31. */
    BAD_TIME("badTime"),
    /** {@code observedAt} further ahead of the wall clock than the clock policy allows (docs/security.md). */
    FUTURE_TIME("futureTime"),
    /** A key that does not have the form of its topic ({@code cluster/node}, {@code cluster/ip}, ...). */
    BAD_KEY("badKey"),
    /** A null value on a topic that has no tombstones. */
    NULL_VALUE("nullValue"),
    /** A record on a topic the role does not read. */
    UNKNOWN_TOPIC("unknownTopic"),
    /** A record on the wrong partition for its cluster (the co-partitioned topology). */
    MISROUTED("misrouted"),
    /** Anything else the role could not process; the detail names the exception. */
    UNEXPECTED("unexpected");

    private final String code;

    DeadLetterReason(final String code) {
        this.code = code;
    }

    /** The short camelCase code in headers, logs and docs. */
    public String code() {
        return code;
    }

    /** The reason of a code, or {@link #UNEXPECTED} for one this version does not know. */
    public static DeadLetterReason ofCode(final String code) {
        for (final DeadLetterReason reason : values()) {
            if (reason.code.equals(code)) {
                return reason;
            }
        }
        return UNEXPECTED;
    }
}
