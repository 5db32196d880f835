package io.vipwatch.collector.probe;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

import io.vipwatch.schemas.event.NodeAddresses.Address;

/**
 * Where a VIP is probed: on the interface whose subnet contains it (the longest prefix wins). Host addresses
 * ({@code /32}, {@code /128}: a VIP bound on this node) name no subnet and are never chosen.
 */
public final class ProbeTargets {

    private ProbeTargets() {
    }

    /** The interface to probe {@code ip} on, given this node's addresses; empty when no subnet holds it. */
    public static Optional<String> interfaceFor(final String ip, final List<Address> addresses) {
        final byte[] vip = bytes(ip);
        String best = null;
        int bestPrefix = -1;
        for (final Address address : addresses) {
            final byte[] own = bytes(address.ip());
            final int prefix = address.prefixLength();
            if (own.length != vip.length || prefix >= own.length * 8 || prefix <= bestPrefix) {
                continue;
            }
            if (samePrefix(own, vip, prefix)) {
                best = address.iface();
                bestPrefix = prefix;
            }
        }
        return Optional.ofNullable(best);
    }

    static boolean samePrefix(final byte[] a, final byte[] b, final int prefix) {
        final int whole = prefix / 8;
        for (int i = 0; i < whole; i++) {
            if (a[i] != b[i]) {
                return false;
            }
        }
        final int bits = prefix % 8;
        if (bits == 0) {
            return true;
        }
        final int mask = (0xff << (8 - bits)) & 0xff;
        return (a[whole] & mask) == (b[whole] & mask);
    }

    private static byte[] bytes(final String ip) {
        try {
            return InetAddress.getByName(ip).getAddress(); // canonical literals only: no name lookup
        } catch (final UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + ip, e);
        }
    }
}
