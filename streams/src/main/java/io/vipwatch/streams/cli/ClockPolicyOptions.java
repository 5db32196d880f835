package io.vipwatch.streams.cli;

import java.time.Duration;

import io.vipwatch.schemas.cli.DurationConverter;
import picocli.CommandLine.Option;

/** The clock policy's flag, the same for {@code vipwatch streams} and {@code vipwatch analyze}. */
public final class ClockPolicyOptions {

    @Option(names = "--max-clock-skew", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "${env:VIPWATCH_MAX_CLOCK_SKEW:-5m}",
            description = {"Refuse input events dated more than this ahead of the wall clock (env VIPWATCH_MAX_CLOCK_SKEW; default ${DEFAULT-VALUE}).",
                "Such an event would move its cluster's clock into the future and silence it: live it is dead-lettered (futureTime), in a recording it is a bad line."})
    Duration maxClockSkew;

    public ClockPolicyOptions() {
    }

    /** @throws IllegalArgumentException naming the flag when out of range */
    public Duration maxClockSkew() {
        if (maxClockSkew.isNegative()) {
            throw new IllegalArgumentException("--max-clock-skew: must be zero or positive, got " + maxClockSkew);
        }
        return maxClockSkew;
    }
}
