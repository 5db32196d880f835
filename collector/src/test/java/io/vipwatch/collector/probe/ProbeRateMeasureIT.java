package io.vipwatch.collector.probe;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vipwatch.collector.testing.L2Segment;
import io.vipwatch.schemas.event.NodeAddresses.Address;

import com.sun.management.OperatingSystemMXBean;

/**
 * The probe rate and cost at 1,000 VIPs (docs/benchmarks.md, "Wire probes"): a segment of two namespaces, w2
 * holding 500 IPv4 and 500 IPv6 VIPs, and in w1 a child JVM that runs rounds of {@link WireProbing} with the real
 * probers (arping, the raw ICMPv6 socket) at each concurrency given, alternating, after one warm-up round each, and
 * writes to {@code target/probe-rate.txt} per round: wall time, probes per second, CPU of the JVM and of its arping children, VIPs answered.
 * Needs root. Run: {@code mvn -B -o -q -pl collector -am verify -Dtest=NONE -Dit.test=ProbeRateMeasureIT
 * -Dsurefire.failIfNoSpecifiedTests=false -Dvipwatch.probe.bench="2 32 128 256"} (ROUNDS, then CONCURRENCY...).
 */
class ProbeRateMeasureIT {

    /** Off unless asked for: {@code -Dvipwatch.probe.bench="ROUNDS CONCURRENCY..."}, e.g. "2 32 128 256". */
    @Test
    @EnabledIfSystemProperty(named = "vipwatch.probe.bench", matches = ".+")
    void measure() throws Exception {
        main(System.getProperty("vipwatch.probe.bench").trim().split("\\s+"));
    }

    static void main(final String[] args) throws Exception {
        final int rounds = Integer.parseInt(args[0]);
        final List<String> concurrencies = List.of(args).subList(1, args.length);
        try (L2Segment lan = L2Segment.create("w1", "w2")) {
            final List<String> vips = new ArrayList<>();
            final List<String> w1 = new ArrayList<>();
            final List<String> w2 = new ArrayList<>();
            for (final String subnet : List.of("192.0.2.", "198.51.100.", "203.0.113.")) {
                w1.add(subnet + "1/24");
                w2.add(subnet + "2/24");
            }
            w1.add("2001:db8:1::1/64");
            w2.add("2001:db8:1::2/64");
            for (int i = 0; vips.size() < 500; i++) {
                vips.add(List.of("192.0.2.", "198.51.100.", "203.0.113.").get(i / 240) + (10 + i % 240));
            }
            for (int i = 0; i < 500; i++) {
                vips.add("2001:db8:1::" + Integer.toHexString(0x1000 + i));
            }
            for (final String vip : vips) {
                w2.add(vip + (vip.indexOf(':') >= 0 ? "/128" : "/32"));
            }
            lan.bindAll("w1", w1);
            lan.bindAll("w2", w2);
            final Path file = Files.createTempFile("vipwatch-vips", ".txt");
            Files.write(file, vips);
            final List<String> inside = new ArrayList<>(List.of(file.toString(), Integer.toString(rounds)));
            inside.addAll(concurrencies);
            final List<String> command = new ArrayList<>(lan.host("w1").inside(List.of(
                    ProcessHandle.current().info().command().orElse("java"), "-cp",
                    System.getProperty("java.class.path"), Inside.class.getName())));
            command.addAll(inside);
            final Path out = Path.of("target", "probe-rate.txt");
            final int exit = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start()
                    .waitFor();
            Files.deleteIfExists(file);
            System.out.println(Files.readString(out));
            if (exit != 0) {
                throw new IllegalStateException("the measuring JVM exited with " + exit);
            }
        }
    }

    /** Runs inside w1: the rounds. */
    public static final class Inside {

        private Inside() {
        }

        public static void main(final String[] args) throws Exception {
            final Set<String> vips = new TreeSet<>(Files.readAllLines(Path.of(args[0])));
            final int rounds = Integer.parseInt(args[1]);
            final List<Integer> concurrencies = List.of(args).subList(2, args.length).stream().map(Integer::parseInt)
                    .toList();
            final List<Address> own = List.of(new Address("eth0", "192.0.2.1", 24),
                    new Address("eth0", "198.51.100.1", 24), new Address("eth0", "203.0.113.1", 24),
                    new Address("eth0", "2001:db8:1::1", 64));
            System.out.printf("VIPs %d, load average %.2f%n", vips.size(),
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            System.out.println("concurrency | round | wall s | probes/s | JVM CPU s | arping CPU s | CPU ms/probe | answered");
            for (int round = 0; round <= rounds; round++) {
                final List<Integer> order = new ArrayList<>(concurrencies);
                if (round % 2 == 1) {
                    Collections.reverse(order); // alternate which side goes first
                }
                for (final int concurrency : order) {
                    measure(vips, own, concurrency, round);
                }
            }
        }

        private static void measure(final Set<String> vips, final List<Address> own, final int concurrency,
                final int round) throws Exception {
            final AtomicLong answered = new AtomicLong();
            final OperatingSystemMXBean os =
                    (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            try (WireProbing probing = new WireProbing(new WireProbing.Settings(Duration.ofHours(1),
                    Duration.ofSeconds(1), concurrency), () -> own, new ArpingProber(List.of("arping")),
                    new NdpProber(), result -> {
                        if (!result.macs().isEmpty()) {
                            answered.incrementAndGet();
                        }
                    }, new SimpleMeterRegistry(), Clock.systemUTC())) {
                final long[] children = childrenTicks();
                final long cpu = os.getProcessCpuTime();
                final long start = System.nanoTime();
                probing.round(vips);
                final double wall = (System.nanoTime() - start) / 1e9;
                final double jvm = (os.getProcessCpuTime() - cpu) / 1e9;
                final long[] after = childrenTicks();
                final double arping = (after[0] + after[1] - children[0] - children[1]) / 100.0;
                System.out.printf("%d | %s | %.1f | %.0f | %.2f | %.2f | %.2f | %d%n", concurrency,
                        round == 0 ? "warm-up" : Integer.toString(round), wall, vips.size() / wall, jvm, arping,
                        (jvm + arping) * 1000 / vips.size(), answered.get());
            }
        }

        /** cutime and cstime of this process (clock ticks, 100 a second): the CPU of its reaped children. */
        private static long[] childrenTicks() throws IOException {
            final String stat = Files.readString(Path.of("/proc/self/stat"));
            final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[] {Long.parseLong(fields[13]), Long.parseLong(fields[14])};
        }
    }
}
