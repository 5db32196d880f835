package io.vipwatch.collector.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vipwatch.schemas.event.NodeAddresses.Address;
import io.vipwatch.testkit.Poll;

/** The rounds of probes, with a prober that answers from a table instead of the wire. */
class WireProbingTest {

    static final List<Address> OWN = List.of(new Address("eth0", "198.51.100.2", 24),
            new Address("eth0", "2001:db8::2", 64));

    /** Answers after a short wait; records how many probes ran at once. */
    static final class TableProber implements WireProber {
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger mostAtOnce = new AtomicInteger();
        volatile CountDownLatch release = new CountDownLatch(0);

        @Override
        public SortedSet<String> probe(final String iface, final String ip, final Duration window) throws IOException {
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                running.decrementAndGet();
            }
            if (ip.endsWith(".99")) {
                throw new IOException("arping: exit 2: no such device");
            }
            return ip.endsWith(".10") || ip.endsWith("::10") ? new TreeSet<>(Set.of("02:00:00:00:00:01"))
                    : new TreeSet<>();
        }

        @Override
        public String describe() {
            return "a table";
        }
    }

    @Test
    void eachVipOfTheSetIsProbedOnItsInterfaceAndAFailedProbeHandsNothingOn() throws Exception {
        final TableProber prober = new TableProber();
        final BlockingQueue<WireProbing.Result> results = new LinkedBlockingQueue<>();
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (WireProbing probing = new WireProbing(new WireProbing.Settings(Duration.ofHours(1), Duration.ofSeconds(1),
                4), () -> OWN, prober, prober, results::add, registry, Clock.systemUTC())) {
            probing.start(StaticVips.parse("198.51.100.10,198.51.100.11,198.51.100.99,2001:db8::10,203.0.113.5"));
            final List<WireProbing.Result> round = take(results, 3);
            assertThat(round).extracting(r -> r.ip() + " " + r.iface() + " " + r.macs()).containsExactlyInAnyOrder(
                    "198.51.100.10 eth0 [02:00:00:00:00:01]", "198.51.100.11 eth0 []",
                    "2001:db8::10 eth0 [02:00:00:00:00:01]");
            assertThat(round).allSatisfy(r -> assertThat(r.windowMs()).isEqualTo(1000));
            awaitCount(registry, "vipwatch_probe_failures", 1);
            assertThat(registry.get("vipwatch_probes").tag("family", "ipv4").counter().count()).isEqualTo(3);
            assertThat(registry.get("vipwatch_probe_replies").tag("family", "ipv6").counter().count()).isEqualTo(1);
            assertThat(registry.get("vipwatch_probe_unreachable_vips").gauge().value()).isEqualTo(1);
        }
    }

    @Test
    void probesRunAtMostConcurrencyAtOnceAndANewSetIsProbedWithoutWaitingForTheInterval() throws Exception {
        final TableProber prober = new TableProber();
        prober.release = new CountDownLatch(1);
        final BlockingQueue<WireProbing.Result> results = new LinkedBlockingQueue<>();
        try (WireProbing probing = new WireProbing(new WireProbing.Settings(Duration.ofHours(1), Duration.ofSeconds(1),
                3), () -> OWN, prober, prober, results::add, new SimpleMeterRegistry(), Clock.systemUTC())) {
            final Set<String> ten = new TreeSet<>();
            for (int i = 10; i < 20; i++) {
                ten.add("198.51.100." + i);
            }
            probing.start(StaticVips.parse(String.join(",", ten)));
            awaitTrue(() -> prober.running.get() == 3);
            probing.vipsChanged(Set.of("198.51.100.10")); // during the round: the next round follows at once
            prober.release.countDown();
            take(results, 10);
            assertThat(prober.mostAtOnce.get()).isEqualTo(3);
            assertThat(take(results, 1)).extracting(WireProbing.Result::ip).containsExactly("198.51.100.10");
        }
    }

    private static List<WireProbing.Result> take(final BlockingQueue<WireProbing.Result> results, final int count)
            throws InterruptedException {
        final List<WireProbing.Result> taken = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            final WireProbing.Result result = results.poll(10, TimeUnit.SECONDS);
            assertThat(result).as("result %s of %s", i + 1, count).isNotNull();
            taken.add(result);
        }
        return taken;
    }

    private static void awaitCount(final SimpleMeterRegistry registry, final String name, final double count)
            throws InterruptedException {
        awaitTrue(() -> registry.find(name).counter() != null && registry.find(name).counter().count() == count);
    }

    private static void awaitTrue(final BooleanSupplier condition) {
        Poll.until("the condition", Duration.ofSeconds(10), condition);
    }
}
