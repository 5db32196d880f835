package io.vipwatch.collector.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.vipwatch.schemas.event.NodeAddresses.Address;

class IpAddrParserTest {

    static Stream<Arguments> lines() {
        return Stream.of(
                Arguments.of("a kube-vip /32 VIP",
                        "3: va    inet 198.51.100.10/32 scope global va\\       valid_lft forever preferred_lft forever",
                        new Address("va", "198.51.100.10", 32), null),
                Arguments.of("a DHCP address with broadcast and a dynamic flag",
                        "2: eth0    inet 192.0.2.15/24 brd 192.0.2.255 scope global dynamic eth0\\       valid_lft 86000sec preferred_lft 86000sec",
                        new Address("eth0", "192.0.2.15", 24), null),
                Arguments.of("an IPv6 /128 without DAD, written back in RFC 5952 form",
                        "3: va    inet6 2001:DB8:0::5/128 scope global nodad \\       valid_lft forever preferred_lft forever",
                        new Address("va", "2001:db8::5", 128), null),
                Arguments.of("a point-to-point address: the local side as a host address",
                        "2: vb    inet 192.0.2.1 peer 192.0.2.2/32 scope global vb\\       valid_lft forever preferred_lft forever",
                        new Address("vb", "192.0.2.1", 32), null),
                Arguments.of("an interface name with its peer index",
                        "7: veth1@if6    inet 203.0.113.9/24 scope global veth1\\       valid_lft forever preferred_lft forever",
                        new Address("veth1", "203.0.113.9", 24), null),
                Arguments.of("loopback is host scope",
                        "1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever",
                        null, "scope:host"),
                Arguments.of("link-local IPv6 is link scope",
                        "3: va    inet6 fe80::6001:2aff:feb0:5d85/64 scope link \\       valid_lft forever preferred_lft forever",
                        null, "scope:link"),
                Arguments.of("an address whose duplicate address detection failed is not in use",
                        "3: va    inet6 2001:db8::7/64 scope global dadfailed tentative \\       valid_lft forever preferred_lft forever",
                        null, "dadFailed"),
                Arguments.of("a link line, not an address", "2: eth0: <BROADCAST,MULTICAST,UP> mtu 1500", null,
                        "notInet"),
                Arguments.of("a monitor deletion line is not an address line",
                        "Deleted 3: va    inet 203.0.113.7/24 scope global va\\       valid_lft forever preferred_lft forever",
                        null, "notAnAddressLine"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lines")
    void readsOneLine(final String description, final String line, final Address address, final String skipReason) {
        final IpAddrParser.Parsed parsed = IpAddrParser.parse(line);
        assertThat(parsed.address()).isEqualTo(address);
        assertThat(parsed.skipReason()).isEqualTo(skipReason);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lines")
    void readsWholeOutputKeepingOnlyGlobalAddresses(final String description, final String line,
            final Address address, final String skipReason) {
        assertThat(IpAddrParser.parseAll(line + "\n\n")).isEqualTo(address == null ? List.of() : List.of(address));
    }
}
