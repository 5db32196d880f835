package io.vipwatch.ops.telemetry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's {@code promtool} (package prometheus), when installed: {@code .ci/run} installs it. */
public final class Promtool {

    public static final Path BINARY = Path.of("/usr/bin/promtool");

    private Promtool() {
    }

    public static boolean available() {
        return Files.isExecutable(BINARY);
    }

    /** Runs promtool with {@code args} and {@code stdin}; returns its exit code and output. */
    public static Result run(final String stdin, final Path workDir, final String... args)
            throws IOException, InterruptedException {
        final List<String> command = new ArrayList<>(List.of(BINARY.toString()));
        command.addAll(List.of(args));
        final Process process = new ProcessBuilder(command).directory(workDir == null ? null : workDir.toFile())
                .redirectErrorStream(true).start();
        try (var in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("promtool " + args[0] + " did not finish");
        }
        return new Result(process.exitValue(), output);
    }

    public record Result(int exit, String output) {
    }

    /**
     * {@code promtool check metrics} on a scrape: the text must parse (exit 1 is a parse error); lint findings
     * (exit 3) are returned only for vipwatch's own metrics — those of the JVM binders are Micrometer's to fix.
     */
    public static List<String> checkMetrics(final String scrape) throws IOException, InterruptedException {
        final Result result = run(scrape, null, "check", "metrics");
        if (result.exit() != 0 && result.exit() != 3) {
            throw new AssertionError("promtool check metrics exited " + result.exit() + ": " + result.output());
        }
        return result.output().lines().filter(line -> line.startsWith("vipwatch_")).toList();
    }
}
