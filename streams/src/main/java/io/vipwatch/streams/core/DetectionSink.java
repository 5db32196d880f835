package io.vipwatch.streams.core;

/** Where the core puts its decisions. Analyze prints alerts; the topology forwards all three to topics. */
public interface DetectionSink {

    void alert(Alert alert);

    default void ownershipChange(final OwnershipChange change) {
    }

    default void vipState(final VipState snapshot) {
    }

    /** False when nobody reads VIP states, so the core need not build them (analyze). */
    default boolean wantsVipState() {
        return false;
    }

    /** False when nobody reads ownership changes (analyze). */
    default boolean wantsOwnershipChanges() {
        return false;
    }
}
