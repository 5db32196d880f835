package io.vipwatch.collector.probe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.vipwatch.schemas.Macs;

/**
 * IPv4: iputils {@code arping -b -c 1000 -w SECONDS -I IFACE IP} per probe (Debian package {@code iputils-arping}).
 * {@code -b} keeps every request a broadcast (by default arping unicasts to the first replier after its first
 * answer, and a second responder would go unheard); a count no window reaches makes arping wait out the whole
 * deadline, so every reply in it is printed, one {@code Unicast reply from IP [MAC]} line each. iputils takes the
 * deadline in whole seconds only, so the window must be whole seconds. Exit 0: replies, 1: none, other: an error.
 */
public final class ArpingProber implements WireProber {

    private static final Pattern REPLY = Pattern.compile("reply from (\\S+) \\[([0-9A-Fa-f:]{17})\\]");

    private final List<String> arping;

    /** @param arping the command that runs arping, e.g. {@code [arping]} */
    public ArpingProber(final List<String> arping) {
        if (arping.isEmpty()) {
            throw new IllegalArgumentException("the arping command must not be empty");
        }
        this.arping = List.copyOf(arping);
    }

    @Override
    public SortedSet<String> probe(final String iface, final String ip, final Duration window) throws IOException {
        final long seconds = wholeSeconds(window);
        final List<String> command = new ArrayList<>(arping);
        command.addAll(List.of("-b", "-c", "1000", "-w", Long.toString(seconds), "-I", iface, ip));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        final String output;
        final int exit;
        try {
            output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            exit = process.waitFor();
        } catch (final InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(String.join(" ", command) + ": interrupted", e);
        }
        if (exit != 0 && exit != 1) {
            throw new IOException(String.join(" ", command) + ": exit " + exit + ": " + output.strip());
        }
        return parse(output, ip);
    }

    /** The MACs of every reply for {@code ip} in arping's output. */
    static SortedSet<String> parse(final String output, final String ip) {
        final SortedSet<String> macs = new TreeSet<>();
        final Matcher reply = REPLY.matcher(output);
        while (reply.find()) {
            if (reply.group(1).equals(ip)) {
                macs.add(Macs.canonical(reply.group(2)));
            }
        }
        return macs;
    }

    /** @throws IllegalArgumentException unless the window is a positive whole number of seconds */
    public static long wholeSeconds(final Duration window) {
        if (window.isNegative() || window.isZero() || window.toMillis() % 1000 != 0) {
            throw new IllegalArgumentException("--probe-window must be a positive whole number of seconds (arping's "
                    + "deadline), got " + window);
        }
        return window.toSeconds();
    }

    @Override
    public String describe() {
        return String.join(" ", arping) + " -b -c 1000 -w SECONDS -I IFACE IP";
    }
}
