package io.vipwatch.collector.node;

import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.vipwatch.schemas.Macs;

/**
 * Reads the one-line-per-interface output of {@code ip -o link show}, for example
 * {@code 2: eth0@if3: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 ...\    link/ether 76:9c:14:71:e3:f5 brd ff:...}:
 * each Ethernet interface's MAC, so a MAC heard on the wire maps back to this node. Loopback and interfaces
 * without an Ethernet address (tunnels, {@code link/none}) have none.
 */
final class IpLinkParser {

    private static final Pattern LINE = Pattern.compile("^\\d+:\\s+([^:@\\s]+)(?:@\\S*)?:.*\\slink/ether\\s+(\\S+)");

    private IpLinkParser() {
    }

    /** Interface name → MAC (lowercase), sorted by name. */
    static SortedMap<String, String> parseAll(final String output) {
        final SortedMap<String, String> links = new TreeMap<>();
        for (final String line : output.split("\n")) {
            final Matcher matcher = LINE.matcher(line.strip());
            if (matcher.find()) {
                links.put(matcher.group(1), Macs.canonical(matcher.group(2)));
            }
        }
        return links;
    }
}
