/**
 * The detection core's own words: alert kinds, alert states, severities and announcers. The core and its state
 * speak only these; the wire's Avro enums of the same names (generated in module {@code schemas}) are mapped
 * to and from them in one place at the edge ({@code io.vipwatch.streams.internal.AvroOutputs}), symbol by symbol,
 * and the stored state uses the stable codes of {@link io.vipwatch.streams.core.state.StateCodec}, so a change to
 * an {@code .avsc} never ripples into the rules or the changelogs.
 */
package io.vipwatch.streams.core.vocabulary;
