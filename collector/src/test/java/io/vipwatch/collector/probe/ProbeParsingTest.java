package io.vipwatch.collector.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vipwatch.schemas.event.NodeAddresses.Address;

/** What the probers read and send, and where a VIP is probed, without a network. */
class ProbeParsingTest {

    @Test
    void arpingRepliesGiveEveryDistinctMacOfTheTargetInLowercase() {
        final String output = """
                ARPING 198.51.100.10 from 198.51.100.1 eth0
                Unicast reply from 198.51.100.10 [4A:FF:81:F1:DB:A4]  0.647ms
                Unicast reply from 198.51.100.10 [B2:27:E8:F3:66:E7]  0.600ms
                Unicast reply from 198.51.100.10 [4A:FF:81:F1:DB:A4]  0.512ms
                Unicast reply from 198.51.100.11 [02:00:00:00:00:09]  0.512ms
                Sent 2 probes (2 broadcast(s))
                Received 3 response(s)
                """;
        assertThat(ArpingProber.parse(output, "198.51.100.10"))
                .containsExactly("4a:ff:81:f1:db:a4", "b2:27:e8:f3:66:e7");
        assertThat(ArpingProber.parse("ARPING 198.51.100.10 from 198.51.100.1 eth0\nSent 2 probes\n"
                + "Received 0 response(s)\n", "198.51.100.10")).isEmpty();
    }

    @Test
    void theProbeWindowIsWholeSecondsBecauseArpingsDeadlineIs() {
        assertThat(ArpingProber.wholeSeconds(Duration.ofSeconds(2))).isEqualTo(2);
        assertThatThrownBy(() -> ArpingProber.wholeSeconds(Duration.ofMillis(500)))
                .hasMessageContaining("--probe-window");
    }

    @Test
    void aNeighbourSolicitationGoesToTheSolicitedNodeGroupWithOurMac() throws Exception {
        final byte[] target = InetAddress.getByName("2001:db8::abcd:10").getAddress();
        assertThat(InetAddress.getByAddress(NdpProber.solicitedNode(target)).getHostAddress())
                .isEqualTo("ff02:0:0:0:0:1:ffcd:10");
        final byte[] ns = NdpProber.solicitation(target, new byte[] {2, 0, 0, 0, 0, 1});
        assertThat(ns).hasSize(32);
        assertThat(ns[0] & 0xff).isEqualTo(135);
        assertThat(HexFormat.ofDelimiter(":").formatHex(ns, 26, 32)).isEqualTo("02:00:00:00:00:01");
    }

    @Test
    void anAdvertisementGivesItsTargetLinkLayerAddressOnlyForOurTarget() throws Exception {
        final byte[] target = InetAddress.getByName("2001:db8::10").getAddress();
        final byte[] na = new byte[32];
        na[0] = (byte) 136;
        na[4] = 0x40; // solicited, not override: what a proxy sends
        System.arraycopy(target, 0, na, 8, 16);
        na[24] = 2;
        na[25] = 1;
        System.arraycopy(new byte[] {0x4a, (byte) 0xff, (byte) 0x81, (byte) 0xf1, (byte) 0xdb, (byte) 0xa4}, 0, na, 26, 6);
        assertThat(NdpProber.advertisedMac(na, na.length, target)).isEqualTo("4a:ff:81:f1:db:a4");
        assertThat(NdpProber.advertisedMac(na, 24, target)).as("no option").isNull();
        assertThat(NdpProber.advertisedMac(na, na.length, InetAddress.getByName("2001:db8::11").getAddress()))
                .isNull();
        na[25] = 0;
        assertThat(NdpProber.advertisedMac(na, na.length, target)).as("a zero-length option").isNull();
    }

    @Test
    void aVipIsProbedOnTheInterfaceWhoseSubnetHoldsItLongestPrefixFirst() {
        final List<Address> addresses = List.of(new Address("eth0", "198.51.100.2", 24),
                new Address("eth1", "198.51.100.130", 25), new Address("eth0", "198.51.100.10", 32),
                new Address("eth0", "2001:db8::2", 64));
        assertThat(ProbeTargets.interfaceFor("198.51.100.10", addresses)).contains("eth0");
        assertThat(ProbeTargets.interfaceFor("198.51.100.200", addresses)).contains("eth1");
        assertThat(ProbeTargets.interfaceFor("2001:db8::10", addresses)).contains("eth0");
        assertThat(ProbeTargets.interfaceFor("203.0.113.10", addresses)).as("no subnet holds it").isEmpty();
        assertThat(ProbeTargets.interfaceFor("198.51.100.10", List.of(new Address("eth0", "198.51.100.10", 32))))
                .as("a host address names no subnet").isEmpty();
    }

    @Test
    void probeVipsComeFromAListOrAFileAndABadOneIsNamedWithItsLine(@TempDir final Path dir) throws Exception {
        assertThat(StaticVips.parse("198.51.100.10, 2001:DB8::10").vips())
                .containsExactlyInAnyOrder("198.51.100.10", "2001:db8::10");
        final Path file = dir.resolve("vips.txt");
        Files.writeString(file, "# the web VIPs\n198.51.100.10\n\n198.51.100.11  # api\n");
        assertThat(StaticVips.parse("@" + file).vips()).containsExactlyInAnyOrder("198.51.100.10", "198.51.100.11");
        Files.writeString(file, "198.51.100.10\nweb.example\n");
        assertThatThrownBy(() -> StaticVips.parse("@" + file)).hasMessageContaining(file + ":2")
                .hasMessageContaining("web.example");
        assertThatThrownBy(() -> StaticVips.parse("198.51.100.300")).hasMessageContaining("--probe-vips");
    }
}
