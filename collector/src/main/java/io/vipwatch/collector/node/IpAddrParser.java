package io.vipwatch.collector.node;

import java.util.ArrayList;
import java.util.List;

import io.vipwatch.schemas.Ips;
import io.vipwatch.schemas.event.NodeAddresses.Address;

/**
 * Reads the one-line-per-address output of {@code ip -o addr show}, for example
 * {@code 3: eth0    inet 198.51.100.10/32 scope global eth0\       valid_lft forever preferred_lft forever}.
 * Only {@code scope global} addresses count; a point-to-point address ({@code inet A peer B/len}) is A as a
 * host address; an address whose duplicate address detection failed ({@code dadfailed}) is not in use.
 */
final class IpAddrParser {

    /** One line read: the address, or why the line gives none (a short reason code). */
    record Parsed(Address address, String skipReason) {
    }

    private IpAddrParser() {
    }

    static List<Address> parseAll(final String output) {
        final List<Address> addresses = new ArrayList<>();
        for (final String line : output.split("\n")) {
            if (!line.isBlank()) {
                final Parsed parsed = parse(line);
                if (parsed.address() != null) {
                    addresses.add(parsed.address());
                }
            }
        }
        return addresses;
    }

    static Parsed parse(final String line) {
        final int backslash = line.indexOf('\\');
        final String[] tokens = (backslash >= 0 ? line.substring(0, backslash) : line).trim().split("\\s+");
        if (tokens.length < 4 || !tokens[0].endsWith(":")) {
            return new Parsed(null, "notAnAddressLine");
        }
        String iface = tokens[1];
        final int at = iface.indexOf('@');
        if (at > 0) {
            iface = iface.substring(0, at);
        }
        final String family = tokens[2];
        if (!"inet".equals(family) && !"inet6".equals(family)) {
            return new Parsed(null, "notInet");
        }
        final int hostPrefix = "inet".equals(family) ? 32 : 128;
        String local = tokens[3];
        int index = 4;
        Integer prefix = null;
        if (index + 1 < tokens.length && "peer".equals(tokens[index])) {
            prefix = hostPrefix;
            index += 2;
        }
        String scope = null;
        boolean dadFailed = false;
        for (int i = index; i < tokens.length; i++) {
            if ("scope".equals(tokens[i]) && i + 1 < tokens.length) {
                scope = tokens[i + 1];
            } else if ("dadfailed".equals(tokens[i])) {
                dadFailed = true;
            }
        }
        if (!"global".equals(scope)) {
            return new Parsed(null, scope == null ? "noScope" : "scope:" + scope);
        }
        if (dadFailed) {
            return new Parsed(null, "dadFailed");
        }
        final int slash = local.indexOf('/');
        if (slash >= 0) {
            if (prefix == null) {
                try {
                    prefix = Integer.parseInt(local.substring(slash + 1));
                } catch (final NumberFormatException e) {
                    return new Parsed(null, "badPrefix");
                }
            }
            local = local.substring(0, slash);
        } else if (prefix == null) {
            prefix = hostPrefix;
        }
        final String ip;
        try {
            ip = Ips.canonical(local);
        } catch (final IllegalArgumentException e) {
            return new Parsed(null, "badIp");
        }
        if (prefix < 0 || prefix > (ip.indexOf(':') >= 0 ? 128 : 32)) {
            return new Parsed(null, "badPrefix");
        }
        return new Parsed(new Address(iface, ip, prefix), null);
    }
}
