/**
 * The detection core, with no Kafka in it: {@link io.vipwatch.streams.core.Detector} takes input events in event
 * time and decides alert transitions ({@link io.vipwatch.streams.core.Alert}), responder changes and VIP
 * snapshots, keeping its state behind {@link io.vipwatch.streams.core.DetectionState}. The rules, grace lifecycle and
 * flap damping are documented in {@code docs/detection.md}; why the order of events does not matter within a
 * millisecond is in {@code streams/src/main/java/io/vipwatch/streams/DESIGN.md}.
 */
package io.vipwatch.streams.core;
