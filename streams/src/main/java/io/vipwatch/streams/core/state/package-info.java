/**
 * The detection core's mutable state, one class per kind of entity, and {@link io.vipwatch.streams.core.state.StateCodec}
 * (its compact binary form for key-value stores). The core mutates an instance and then hands it back to
 * {@link io.vipwatch.streams.core.DetectionState} with a {@code put}, so a store that copies (the topology's
 * KV stores) and one that keeps the objects (analyze) behave the same.
 */
package io.vipwatch.streams.core.state;
