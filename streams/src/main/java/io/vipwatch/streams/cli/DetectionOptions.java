package io.vipwatch.streams.cli;

import io.vipwatch.schemas.cli.DurationConverter;
import java.time.Duration;

import io.vipwatch.streams.core.DetectionSettings;
import picocli.CommandLine.Option;

/** The detection tunables as flags (and {@code VIPWATCH_*} environment variables), shared by streams and analyze. */
public final class DetectionOptions {

    @Option(names = "--grace", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "${env:VIPWATCH_GRACE:-15s}",
            description = "How long a condition must hold before its alert opens, and be gone before it resolves (env VIPWATCH_GRACE; default ${DEFAULT-VALUE}).")
    Duration grace;

    @Option(names = "--flap-penalty", paramLabel = "N", defaultValue = "${env:VIPWATCH_FLAP_PENALTY:-1000}",
            description = "Penalty one flap adds (env VIPWATCH_FLAP_PENALTY; default ${DEFAULT-VALUE}).")
    double flapPenalty;

    @Option(names = "--flap-half-life", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "${env:VIPWATCH_FLAP_HALF_LIFE:-5m}",
            description = "The flap penalty halves every half-life (env VIPWATCH_FLAP_HALF_LIFE; default ${DEFAULT-VALUE}).")
    Duration flapHalfLife;

    @Option(names = "--flap-suppress", paramLabel = "N", defaultValue = "${env:VIPWATCH_FLAP_SUPPRESS:-2000}",
            description = "FLAPPING opens as soon as the penalty is above this (env VIPWATCH_FLAP_SUPPRESS; default ${DEFAULT-VALUE}).")
    double flapSuppress;

    @Option(names = "--flap-reuse", paramLabel = "N", defaultValue = "${env:VIPWATCH_FLAP_REUSE:-750}",
            description = "FLAPPING resolves when the penalty has decayed to this (env VIPWATCH_FLAP_REUSE; default ${DEFAULT-VALUE}).")
    double flapReuse;

    @Option(names = "--flap-cap", paramLabel = "N", defaultValue = "${env:VIPWATCH_FLAP_CAP:-0}",
            description = "Highest penalty; 0 means 4 x --flap-suppress (env VIPWATCH_FLAP_CAP; default ${DEFAULT-VALUE}).")
    double flapCap;

    @Option(names = "--flap-merge-window", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "${env:VIPWATCH_FLAP_MERGE_WINDOW:-2s}",
            description = "Responder changes of one VIP less than this apart count as one (env VIPWATCH_FLAP_MERGE_WINDOW; default ${DEFAULT-VALUE}).")
    Duration mergeWindow;

    @Option(names = "--silence-after", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "${env:VIPWATCH_SILENCE_AFTER:-30s}",
            description = "A source that sent heartbeats and then none for this long is COLLECTOR_SILENT (env VIPWATCH_SILENCE_AFTER; default ${DEFAULT-VALUE}).")
    Duration silenceAfter;

    /** @throws IllegalArgumentException naming the flag whose value is out of range */
    public DetectionSettings toConfig() {
        try {
            return new DetectionSettings(grace, flapPenalty, flapHalfLife, flapSuppress, flapReuse,
                    flapCap > 0 ? flapCap : 4 * flapSuppress, mergeWindow, silenceAfter);
        } catch (final IllegalArgumentException e) {
            throw new IllegalArgumentException("--" + e.getMessage(), e);
        }
    }
}
