/**
 * The picocli commands of this module, registered by the app: {@code vipwatch streams}
 * ({@link io.vipwatch.streams.cli.StreamsCommand}), {@code vipwatch analyze} ({@link io.vipwatch.streams.cli.AnalyzeCommand})
 * and {@code vipwatch replay} ({@link io.vipwatch.streams.cli.ReplayCommand}), with the shared tunables
 * ({@link io.vipwatch.streams.cli.DetectionOptions}), clock policy ({@link io.vipwatch.streams.cli.ClockPolicyOptions}),
 * recording input ({@link io.vipwatch.streams.cli.RecordingOptions}) and durations
 * ({@link io.vipwatch.schemas.cli.DurationConverter}).
 */
package io.vipwatch.streams.cli;
