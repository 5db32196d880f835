package io.vipwatch.collector.node;

import static org.assertj.core.api.Assertions.assertThat;

import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

class IpLinkParserTest {

    @Test
    void everyEthernetInterfaceGivesItsMacLoopbackAndTunnelsNone() {
        final String output = """
                1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
                2: eth0@if3: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000\\    link/ether 76:9C:14:71:E3:F5 brd ff:ff:ff:ff:ff:ff link-netns sw-t5979
                3: bond0: <BROADCAST,MULTICAST,MASTER,UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000\\    link/ether 02:00:00:00:00:02 brd ff:ff:ff:ff:ff:ff
                4: wg0: <POINTOPOINT,NOARP,UP,LOWER_UP> mtu 1420 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\\    link/none
                """;
        assertThat(IpLinkParser.parseAll(output)).containsExactly(
                Assertions.entry("bond0", "02:00:00:00:00:02"),
                Assertions.entry("eth0", "76:9c:14:71:e3:f5"));
    }
}
