package io.vipwatch.streams.internal;

import io.vipwatch.schemas.avro.Alert;
import io.vipwatch.schemas.avro.OwnershipChange;
import io.vipwatch.schemas.avro.VipState;

/** What the detect processor forwards; split by type onto the three output topics. */
public sealed interface DetectOutput {

    record AlertOut(Alert alert) implements DetectOutput {
    }

    record OwnershipOut(OwnershipChange change) implements DetectOutput {
    }

    /** {@code state} null: the VIP is forgotten (a tombstone on the compacted topic). */
    record StateOut(VipState state) implements DetectOutput {
    }
}
