/**
 * The Kafka side of the topology, not an API: input decoding and validation (bad records to the dead-letter
 * topic), the repartition serde, the detect processor and its key-value-store-backed state, the Avro mapping of
 * the outputs. Use {@link io.vipwatch.streams.VipOwnershipTopology} and {@link io.vipwatch.streams.VipwatchStreams}.
 */
package io.vipwatch.streams.internal;
