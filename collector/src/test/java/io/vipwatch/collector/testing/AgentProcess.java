package io.vipwatch.collector.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.schemas.recording.RecordingCodec;
import io.vipwatch.testkit.Poll;

/**
 * A vipwatch command in a JVM of its own inside a network namespace ({@code ip netns exec NS java -cp ... MAIN
 * ARGS}), as an SRE runs it, its standard output (recording lines with {@code --output -}) read line by line.
 */
public final class AgentProcess implements AutoCloseable {

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> all = new ArrayList<>();

    private AgentProcess(final Process process) {
        this.process = process;
        final Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (!line.startsWith("{")) {
                        continue; // a log line, where a test class path's logging config writes to stdout
                    }
                    synchronized (all) {
                        all.add(line);
                    }
                    lines.add(line);
                }
            } catch (final IOException e) {
                // the process ended
            }
        }, "agent-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code main} with {@code args} inside {@code namespace}, on this JVM's class path; stderr inherited. */
    public static AgentProcess start(final NetworkNamespace namespace, final Class<?> main, final String... args)
            throws IOException {
        final List<String> java = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), main.getName()));
        java.addAll(List.of(args));
        return new AgentProcess(new ProcessBuilder(namespace.inside(java))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start());
    }

    /** Every recording line printed so far, in order, including those {@link #next} already took. */
    public List<String> lines() {
        synchronized (all) {
            return List.copyOf(all);
        }
    }

    /** The next recording line's event that matches, skipping others; fails the test at the timeout. */
    public InputEvent next(final Predicate<InputEvent> wanted, final Duration timeout) throws InterruptedException {
        return RecordingCodec.parse(Poll.next("a matching recording line on stdout", timeout, lines,
                line -> wanted.test(RecordingCodec.parse(line))));
    }

    /** Stops it with SIGTERM and checks it exits. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("the agent stops on SIGTERM").isTrue();
    }
}
