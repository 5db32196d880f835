package io.vipwatch.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpsTest {

    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "IPv4 stays as it is                 | 198.51.100.10                          | 198.51.100.10",
        "upper-case hex, zero run            | 2001:DB8:0::10                         | 2001:db8::10",
        "leading zeros dropped               | 2001:0db8:0000:0000:0000:0000:0000:0001 | 2001:db8::1",
        "longest zero run is compressed      | 2001:db8:0:0:1:0:0:0                   | 2001:db8:0:0:1::",
        "first of equal runs is compressed   | 2001:db8:0:0:1:0:0:1                   | 2001:db8::1:0:0:1",
        "a single zero group is not          | 2001:db8:0:1:1:1:1:1                   | 2001:db8:0:1:1:1:1:1",
        "all zeros                           | 0:0:0:0:0:0:0:0                        | ::",
        "loopback                            | 0:0:0:0:0:0:0:1                        | ::1",
        "IPv4-mapped keeps the dotted tail   | 0:0:0:0:0:FFFF:c000:0201               | ::ffff:192.0.2.1",
        "embedded IPv4 tail                  | 2001:db8::192.0.2.1                    | 2001:db8::c000:201",
    })
    void writesCanonicalText(final String description, final String text, final String canonical) {
        assertThat(Ips.canonical(text)).isEqualTo(canonical);
        assertThat(Ips.canonical(canonical)).as("canonical text is a fixed point").isEqualTo(canonical);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "five octets          | 1.2.3.4.5       | more than 4 IPv4 octets",
        "octet over 255       | 198.51.100.256  | over 255",
        "leading zero         | 198.051.100.1   | leading zero",
        "a host name          | example.com     | unexpected character",
        "two gaps             | 2001::db8::1    | only once",
        "group too long       | 2001:db8::12345 | 1 to 4 hex digits",
        "zone id              | fe80::1%eth0    | zone ids",
        "nine groups          | 1:2:3:4:5:6:7:8:9 | 8 groups",
    })
    void rejectsWithTheReason(final String description, final String text, final String reason) {
        assertThatThrownBy(() -> Ips.canonical(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(text)
                .hasMessageContaining(reason);
    }
}
