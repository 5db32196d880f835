package io.vipwatch.streams.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The recording a command reads and what a bad line in it does: the same for {@code analyze} and {@code replay}. */
public final class RecordingOptions {

    @Parameters(index = "0", paramLabel = "FILE|-", description = "Recording (JSON Lines), or - for standard input.")
    String input;

    @Option(names = "--strict", description = "Stop at the first bad line (exit 2) instead of skipping it.")
    boolean strict;

    public RecordingOptions() {
    }
}
