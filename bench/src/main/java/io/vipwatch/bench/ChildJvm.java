package io.vipwatch.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a class of this classpath in a child JVM (own heap, own processor count) and returns the lines it
 * printed on standard output; its standard error goes to ours. Used where the JVM's settings are part of what is
 * measured: one core for analyze, a 4 GB heap for the state.
 */
final class ChildJvm {

    private ChildJvm() {
    }

    static boolean tasksetAvailable() {
        return Files.isExecutable(Path.of("/usr/bin/taskset"));
    }

    /**
     * @param pinToOneCore run under {@code taskset -c 1} where taskset exists (and the machine has 2+ cores)
     * @throws IllegalStateException when the child exits non-zero or runs past {@code timeoutSeconds}
     */
    static List<String> run(final boolean pinToOneCore, final List<String> jvmOptions, final Class<?> main,
            final long timeoutSeconds, final String... args) {
        final List<String> command = new ArrayList<>();
        if (pinToOneCore && tasksetAvailable() && Runtime.getRuntime().availableProcessors() > 1) {
            command.addAll(List.of("taskset", "-c", "1"));
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        try {
            final Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            final List<String> lines = new ArrayList<>();
            try (var reader = process.inputReader(StandardCharsets.UTF_8)) {
                String line;
                while ((line = reader.readLine()) != null) {
                    lines.add(line);
                }
            }
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(main.getSimpleName() + " ran past " + timeoutSeconds + " s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(main.getSimpleName() + " exited " + process.exitValue() + ": "
                        + String.join(" ", command));
            }
            return lines;
        } catch (final IOException e) {
            throw new UncheckedIOException("could not run " + command, e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The value of {@code key=value} in the last line that has it. */
    static double value(final List<String> lines, final String key) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            for (final String part : lines.get(i).split(" ")) {
                if (part.startsWith(key + "=")) {
                    return Double.parseDouble(part.substring(key.length() + 1));
                }
            }
        }
        throw new IllegalStateException("no " + key + "= in the child's output " + lines);
    }
}
