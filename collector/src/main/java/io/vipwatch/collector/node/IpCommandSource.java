package io.vipwatch.collector.node;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vipwatch.schemas.event.NodeAddresses.Address;

/**
 * Addresses from iproute2: {@code ip -o addr show scope global} for a full read (and
 * {@code ip -o link show} for the interfaces' MACs), and a long-running
 * {@code ip -o monitor address} whose every line signals a change (it reacts within a millisecond). The command
 * may carry a prefix, e.g. {@code ip netns exec NS ip}, to read another network namespace. If the monitor exits,
 * it is restarted with backoff and a change is signalled, since changes may have been missed meanwhile.
 */
public final class IpCommandSource implements AddressSource {

    private static final Logger LOG = LoggerFactory.getLogger(IpCommandSource.class);
    private static final long READ_TIMEOUT_MS = 5_000;
    private static final long MAX_BACKOFF_MS = 30_000;
    /** Reads child process output, so a hung {@code ip} cannot hang the reader past its timeout. */
    private static final ExecutorService DRAIN = Executors.newCachedThreadPool(runnable -> {
        final Thread thread = new Thread(runnable, "vipwatch-ip-output");
        thread.setDaemon(true);
        return thread;
    });

    private final List<String> ip;

    /** @param ip the command that runs iproute2's {@code ip}, e.g. {@code [ip]} or {@code [ip, netns, exec, ns1, ip]} */
    public IpCommandSource(final List<String> ip) {
        if (ip.isEmpty()) {
            throw new IllegalArgumentException("the ip command must not be empty");
        }
        this.ip = List.copyOf(ip);
    }

    @Override
    public List<Address> read() throws IOException {
        return IpAddrParser.parseAll(run("-o", "addr", "show", "scope", "global"));
    }

    @Override
    public SortedMap<String, String> links() throws IOException {
        return IpLinkParser.parseAll(run("-o", "link", "show"));
    }

    /** Runs ip with {@code args} and returns its output. @throws IOException naming the command */
    private String run(final String... args) throws IOException {
        final List<String> command = command(args);
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        final Future<byte[]> output = DRAIN.submit(process.getInputStream()::readAllBytes);
        try {
            if (!process.waitFor(READ_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + ": no answer within " + READ_TIMEOUT_MS + " ms");
            }
            final String text = new String(output.get(READ_TIMEOUT_MS, TimeUnit.MILLISECONDS), StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + ": exit " + process.exitValue() + ": " + text.strip());
            }
            return text;
        } catch (final InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(String.join(" ", command) + ": interrupted", e);
        } catch (final ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + ": cannot read its output: " + e, e);
        }
    }

    @Override
    public AutoCloseable watch(final Runnable onChange) {
        final Monitor monitor = new Monitor(command("-o", "monitor", "address"), onChange);
        final Thread thread = new Thread(monitor, "vipwatch-ip-monitor");
        thread.setDaemon(true);
        thread.start();
        return () -> {
            monitor.stop();
            thread.interrupt();
            thread.join(2_000);
        };
    }

    @Override
    public String describe() {
        return String.join(" ", command("-o", "addr")) + " + monitor address";
    }

    private List<String> command(final String... args) {
        final List<String> command = new ArrayList<>(ip);
        command.addAll(List.of(args));
        return command;
    }

    /** Runs {@code ip -o monitor address} and restarts it when it exits, until stopped. */
    private static final class Monitor implements Runnable {

        private final List<String> command;
        private final Runnable onChange;
        private volatile boolean running = true;
        private volatile Process process;

        Monitor(final List<String> command, final Runnable onChange) {
            this.command = command;
            this.onChange = onChange;
        }

        @Override
        public void run() {
            long backoff = 500;
            boolean first = true;
            while (running) {
                final long started = System.nanoTime();
                try {
                    process = new ProcessBuilder(command).redirectErrorStream(true).start();
                    process.getOutputStream().close();
                    if (!first) {
                        onChange.run(); // changes while the monitor was down are unknown: read again
                    }
                    first = false;
                    try (BufferedReader lines = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = lines.readLine()) != null) {
                            LOG.debug("ip monitor: {}", line);
                            onChange.run();
                        }
                    }
                    final int exit = process.waitFor();
                    if (running) {
                        LOG.warn("{} exited with {}; restarting it in {} ms", String.join(" ", command), exit, backoff);
                    }
                } catch (final IOException e) {
                    if (running) {
                        LOG.warn("{} failed ({}); restarting it in {} ms", String.join(" ", command), e.getMessage(),
                                backoff);
                    }
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (System.nanoTime() - started > TimeUnit.MILLISECONDS.toNanos(MAX_BACKOFF_MS)) {
                    backoff = 500; // it ran for a while: the failure is new
                }
                try {
                    TimeUnit.MILLISECONDS.sleep(backoff); // backoff before restarting a failed child process
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
            }
        }

        void stop() {
            running = false;
            final Process current = process;
            if (current != null) {
                current.destroy();
            }
        }
    }
}
