/**
 * The detection core, with no Kafka in it: {@link io.vipwatch.streams.core.Detector} takes input events in event
 * time and decides alerts ({@link io.vipwatch.streams.core.Alert}: one transition each), ownership changes
 * ({@link io.vipwatch.streams.core.OwnershipChange}) and VIP states ({@link io.vipwatch.streams.core.VipState}),
 * keeping its state behind {@link io.vipwatch.streams.core.DetectionState}. Its output types have the names of the
 * wire's Avro records they are mapped to (docs/architecture.md, section 7). The rules, grace lifecycle and flap
 * damping are documented in {@code docs/detection.md}; why the order of events does not matter within a
 * millisecond is in {@code streams/src/main/java/io/vipwatch/streams/DESIGN.md}.
 */
package io.vipwatch.streams.core;
