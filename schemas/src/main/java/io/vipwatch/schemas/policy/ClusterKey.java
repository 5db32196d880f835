package io.vipwatch.schemas.policy;

/**
 * A {@code cluster/name} Kafka key (the key of the node topics, {@code vip-state} and a tombstone on them): the one
 * parser of it. The cluster is everything before the last slash, the name (a node, an IP) everything after.
 */
public record ClusterKey(String cluster, String name) {

    /**
     * Splits {@code key} at its last slash.
     *
     * @param what what the name part is ("node", "ip"), for the message
     * @throws InvalidRecordException {@link DeadLetterReason#BAD_KEY} when the key is null or either part is empty
     */
    public static ClusterKey parse(final String key, final String what) {
        final int slash = key == null ? -1 : key.lastIndexOf('/');
        if (slash <= 0 || slash == key.length() - 1) {
            throw new InvalidRecordException(DeadLetterReason.BAD_KEY, "key "
                    + (key == null ? "null" : InputPolicy.excerpt(key)) + " is not cluster/" + what);
        }
        return new ClusterKey(key.substring(0, slash), key.substring(slash + 1));
    }
}
