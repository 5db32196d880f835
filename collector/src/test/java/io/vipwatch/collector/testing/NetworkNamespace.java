package io.vipwatch.collector.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * A real Linux network namespace made for one test class, with a veth pair {@code va}/{@code vb} up inside it, so
 * tests add and remove real addresses. Uses only documentation address ranges. Where namespaces cannot be created
 * (no root, no iproute2, a restricted container), {@link #create} aborts the test with the reason.
 */
public final class NetworkNamespace implements AutoCloseable {

    private final String name;

    private NetworkNamespace(final String name) {
        this.name = name;
    }

    /** Creates {@code vwtest-<random>} with a veth pair va/vb up, or aborts the calling test saying why not. */
    public static NetworkNamespace create() {
        final NetworkNamespace namespace = createBare();
        try {
            namespace.exec("ip", "link", "add", "va", "type", "veth", "peer", "name", "vb");
            namespace.exec("ip", "link", "set", "va", "up");
            namespace.exec("ip", "link", "set", "vb", "up");
        } catch (final RuntimeException e) {
            namespace.close();
            throw e;
        }
        return namespace;
    }

    /** Creates {@code vwtest-<random>} with only lo up, or aborts the calling test saying why not. */
    public static NetworkNamespace createBare() {
        final String name = "vwtest-" + UUID.randomUUID().toString().substring(0, 8);
        final Result added = run(List.of("ip", "netns", "add", name));
        Assumptions.assumeTrue(added.exit() == 0,
                () -> "skipped: cannot create a network namespace here (ip netns add: " + added.output() + ")");
        final NetworkNamespace namespace = new NetworkNamespace(name);
        try {
            namespace.exec("ip", "link", "set", "lo", "up");
        } catch (final RuntimeException e) {
            namespace.close();
            throw e;
        }
        return namespace;
    }

    /** Runs a command in the root namespace (e.g. to join namespaces); fails the test with its output on error. */
    public static void execOutside(final String... command) {
        final Result result = run(List.of(command));
        if (result.exit() != 0) {
            throw new IllegalStateException(String.join(" ", command) + ": exit " + result.exit() + ": "
                    + result.output());
        }
    }

    /** Runs a command inside the namespace and returns its output; fails the test if it exits non-zero. */
    public String output(final String... command) {
        final Result result = run(inside(List.of(command)));
        if (result.exit() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " in " + name + ": exit " + result.exit()
                    + ": " + result.output());
        }
        return result.output();
    }

    public String name() {
        return name;
    }

    /** The command that runs iproute2's ip inside this namespace. */
    public List<String> ipCommand() {
        return List.of("ip", "netns", "exec", name, "ip");
    }

    /** A command line that runs {@code command} inside this namespace. */
    public List<String> inside(final List<String> command) {
        final List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(command);
        return full;
    }

    public void addAddress(final String cidr, final String device) {
        exec("ip", "addr", "add", cidr, "dev", device);
    }

    public void deleteAddress(final String cidr, final String device) {
        exec("ip", "addr", "del", cidr, "dev", device);
    }

    /** Runs a command inside the namespace; fails the test with its output if it exits non-zero. */
    public void exec(final String... command) {
        output(command);
    }

    @Override
    public void close() {
        run(List.of("ip", "netns", "del", name));
    }

    private record Result(int exit, String output) {
    }

    private static Result run(final List<String> command) {
        try {
            final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, "timed out");
            }
            return new Result(process.exitValue(), output);
        } catch (final IOException e) {
            return new Result(-1, e.getMessage());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }
}
