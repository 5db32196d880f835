package io.vipwatch.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import io.vipwatch.collector.testing.AgentProcess;
import io.vipwatch.collector.testing.L2Segment;
import io.vipwatch.schemas.event.NodeAddresses;
import io.vipwatch.schemas.event.WireObservation;

/**
 * {@code node-agent --probe --output -} on a real Ethernet segment of namespaces, asking with real ARP and NDP: node
 * w1 probes; w2 binds VIPs; w3 answers for VIPs it does not hold, as MetalLB's speaker does (proxy ARP / proxy
 * NDP); {@code outside} is a host of no cluster node that holds a VIP too. Each test runs for IPv4 and IPv6.
 */
class WireProbeNetnsIT {

    static final Duration WAIT = Duration.ofSeconds(30);
    /** Per family: the subnet's first three hosts' prefix, and the host prefix length. */
    static final String V4 = "198.51.100.";
    static final String V6 = "2001:db8:1::";

    static L2Segment lan;
    static AgentProcess prober;

    /** The VIP {@code last} of the family of {@code prefix}: 10 bound on w2, 11 proxied by w3, ... */
    static String vip(final String prefix, final int last) {
        return prefix + last;
    }

    @BeforeAll
    static void startTheSegmentAndTheProber() throws Exception {
        L2Segment.assumeArping();
        lan = L2Segment.create("w1", "w2", "w3", "outside");
        final List<String> hosts = List.of("w1", "w2", "w3", "outside");
        for (int i = 0; i < hosts.size(); i++) {
            lan.bind(hosts.get(i), V4 + (i + 1) + "/24");
            lan.bind(hosts.get(i), V6 + (i + 1) + "/64");
        }
        for (final String family : List.of(V4, V6)) {
            final String host = family.equals(V4) ? "/32" : "/128";
            lan.bind("w2", vip(family, 10) + host);
            lan.proxy("w3", vip(family, 11));
            lan.bind("w2", vip(family, 12) + host);
            lan.bind("outside", vip(family, 12) + host);
            lan.proxy("w3", vip(family, 14));
        }
        final StringBuilder vips = new StringBuilder();
        for (final String family : List.of(V4, V6)) {
            for (int last = 10; last <= 14; last++) {
                vips.append(vips.length() == 0 ? "" : ",").append(vip(family, last));
            }
        }
        prober = AgentProcess.start(lan.host("w1"), NodeAgentCommand.class, "--node", "w1", "--cluster", "c1",
                "--output", "-", "--probe", "--probe-interval", "1s", "--probe-vips", vips.toString());
    }

    @AfterAll
    static void stop() throws Exception {
        if (prober != null) {
            prober.close();
        }
        if (lan != null) {
            lan.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {V4, V6})
    void aVipBoundOnOneNodeIsAnsweredByThatNodesMacAlone(final String family) throws Exception {
        final WireObservation seen = next(vip(family, 10), any -> true);
        assertThat(seen.macs()).containsExactly(lan.mac("w2"));
        assertThat(seen.node()).isEqualTo("w1");
        assertThat(seen.iface()).isEqualTo("eth0");
        assertThat(seen.cluster()).isEqualTo("c1");
        assertThat(seen.source()).isEqualTo("node-agent/c1/w1");
        assertThat(seen.windowMs()).isEqualTo(1000);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {V4, V6})
    void aSpeakerThatAnswersWithoutBindingTheVipIsHeard(final String family) throws Exception {
        assertThat(next(vip(family, 11), any -> true).macs()).containsExactly(lan.mac("w3"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {V4, V6})
    void aHostOutsideTheClusterHoldingTheVipIsHeardBesideTheNode(final String family) throws Exception {
        assertThat(next(vip(family, 12), any -> true).macs())
                .containsExactlyElementsOf(new TreeSet<>(List.of(lan.mac("w2"), lan.mac("outside"))));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {V4, V6})
    void aVipNobodyAnswersForGivesAnObservationWithNoMacs(final String family) throws Exception {
        assertThat(next(vip(family, 13), any -> true).macs()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {V4, V6})
    void aResponderThatStopsAnsweringIsNoLongerHeard(final String family) throws Exception {
        assertThat(next(vip(family, 14), any -> true).macs()).containsExactly(lan.mac("w3"));
        lan.stopProxy("w3", vip(family, 14));
        // a probe in flight when it stopped may still have heard it: the next ones must not
        assertThat(next(vip(family, 14), seen -> seen.macs().isEmpty()).macs()).isEmpty();
        assertThat(next(vip(family, 14), any -> true).macs()).as("and it stays silent").isEmpty();
    }

    @Test
    void eachNodesSnapshotNamesTheMacOfEachInterfaceSoAMacHeardMapsToItsNode() throws Exception {
        final NodeAddresses own = (NodeAddresses) prober.next(e -> e instanceof NodeAddresses, WAIT);
        assertThat(own.links()).containsExactly(new NodeAddresses.Link("eth0", lan.mac("w1")));
        try (AgentProcess binder = AgentProcess.start(lan.host("w2"), NodeAgentCommand.class, "--node", "w2",
                "--cluster", "c1", "--output", "-")) {
            final NodeAddresses w2 = (NodeAddresses) binder.next(e -> e instanceof NodeAddresses, WAIT);
            final String heard = next(vip(V4, 10), any -> true).macs().get(0);
            assertThat(w2.links()).as("the MAC that answered for the VIP bound on w2 is w2's")
                    .containsExactly(new NodeAddresses.Link("eth0", heard));
        }
    }

    @Test
    void theAgentCountsProbesRepliesAndTheirDurationOnItsMetricsPort() throws Exception {
        next(vip(V4, 13), any -> true); // a round has run
        final long deadline = System.nanoTime() + WAIT.toNanos();
        String metrics = "";
        while (System.nanoTime() < deadline && !metrics.contains("vipwatch_probe_round_seconds_count")) {
            metrics = lan.host("w1").output("curl", "-s", "http://127.0.0.1:9402/metrics");
        }
        assertThat(metrics).contains("vipwatch_probes_total{family=\"ipv4\"", "vipwatch_probes_total{family=\"ipv6\"",
                "vipwatch_probe_replies_total{family=\"ipv4\"", "vipwatch_probe_seconds_count",
                "vipwatch_probe_round_seconds_count", "vipwatch_probe_vips", "vipwatch_input_events_total{");
        assertThat(metrics).containsPattern("vipwatch_probe_vips\\{[^}]*\\} 10\\.0");
    }

    private static WireObservation next(final String vip, final Predicate<WireObservation> wanted)
            throws InterruptedException {
        return (WireObservation) prober.next(e -> e instanceof WireObservation wire && wire.ip().equals(vip)
                && wanted.test(wire), WAIT);
    }
}
