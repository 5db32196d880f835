package io.vipwatch.collector.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;

/**
 * One Ethernet segment of real network namespaces: a bridge {@code br0} in a namespace of its own and, per host, a
 * namespace whose {@code eth0} is a veth port of that bridge. Hosts answer ARP and NDP with the kernel, so a probe
 * from one host hears what a real LAN would say. Uses documentation ranges only.
 */
public final class L2Segment implements AutoCloseable {

    private static final Pattern ETHER = Pattern.compile("link/ether ([0-9a-f:]{17})");

    private final NetworkNamespace bridge;
    private final Map<String, NetworkNamespace> hosts = new LinkedHashMap<>();

    private L2Segment(final NetworkNamespace bridge) {
        this.bridge = bridge;
    }

    /** A bridge and one namespace per host name, each with eth0 up on the bridge; aborts where namespaces can't be made. */
    public static L2Segment create(final String... names) {
        final L2Segment segment = new L2Segment(NetworkNamespace.createBare());
        try {
            segment.bridge.exec("ip", "link", "add", "br0", "type", "bridge");
            segment.bridge.exec("ip", "link", "set", "br0", "up");
            int port = 0;
            for (final String name : names) {
                final NetworkNamespace host = NetworkNamespace.createBare();
                segment.hosts.put(name, host);
                final String peer = "p" + port++;
                NetworkNamespace.execOutside("ip", "link", "add", "eth0", "netns", host.name(), "type", "veth", "peer",
                        "name", peer, "netns", segment.bridge.name());
                segment.bridge.exec("ip", "link", "set", peer, "master", "br0", "up");
                host.exec("ip", "link", "set", "eth0", "up");
            }
        } catch (final RuntimeException e) {
            segment.close();
            throw e;
        }
        return segment;
    }

    public NetworkNamespace host(final String name) {
        final NetworkNamespace host = hosts.get(name);
        if (host == null) {
            throw new IllegalArgumentException("no host " + name + " on this segment");
        }
        return host;
    }

    /** Aborts the calling test unless iputils arping runs here (.ci/run installs it), saying so. */
    public static void assumeArping() {
        boolean runs;
        try {
            final Process process = new ProcessBuilder("arping", "-V").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            runs = process.waitFor() == 0;
        } catch (final IOException e) {
            runs = false;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            runs = false;
        }
        Assumptions.assumeTrue(runs,
                "skipped: iputils arping is not installed (apt-get install iputils-arping)");
    }

    /** The MAC of the host's eth0, lowercase. */
    public String mac(final String name) {
        final Matcher matcher = ETHER.matcher(host(name).output("ip", "-o", "link", "show", "eth0"));
        if (!matcher.find()) {
            throw new IllegalStateException("no link/ether on eth0 of " + name);
        }
        return matcher.group(1);
    }

    /** Adds an address to the host's eth0 (IPv6 without duplicate address detection, usable at once). */
    public void bind(final String name, final String cidr) {
        if (cidr.indexOf(':') >= 0) {
            host(name).exec("ip", "addr", "add", cidr, "dev", "eth0", "nodad");
        } else {
            host(name).exec("ip", "addr", "add", cidr, "dev", "eth0");
        }
    }

    /** Adds many addresses to the host's eth0 in one {@code ip -batch} (IPv6 without duplicate address detection). */
    public void bindAll(final String name, final List<String> cidrs) {
        try {
            final Path batch = Files.createTempFile("vipwatch-addresses", ".batch");
            try {
                final StringBuilder lines = new StringBuilder();
                for (final String cidr : cidrs) {
                    lines.append("addr add ").append(cidr).append(" dev eth0").append(cidr.indexOf(':') >= 0
                            ? " nodad\n" : "\n");
                }
                Files.writeString(batch, lines);
                host(name).exec("ip", "-batch", batch.toString());
            } finally {
                Files.deleteIfExists(batch);
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void unbind(final String name, final String cidr) {
        host(name).exec("ip", "addr", "del", cidr, "dev", "eth0");
    }

    /**
     * Makes the host answer ARP (IPv4) or NDP (IPv6) for {@code vip} without holding it, as MetalLB's speaker does:
     * proxy ARP / proxy NDP for the address, routed to lo so the reply is due, no delay.
     */
    public void proxy(final String name, final String vip) {
        final NetworkNamespace host = host(name);
        if (vip.indexOf(':') >= 0) {
            host.exec("sysctl", "-qw", "net.ipv6.conf.all.forwarding=1", "net.ipv6.conf.eth0.proxy_ndp=1",
                    "net.ipv6.neigh.eth0.proxy_delay=0");
            host.exec("ip", "-6", "route", "replace", vip + "/128", "dev", "lo");
            host.exec("ip", "-6", "neigh", "add", "proxy", vip, "dev", "eth0");
        } else {
            host.exec("sysctl", "-qw", "net.ipv4.ip_forward=1", "net.ipv4.conf.eth0.proxy_arp=1",
                    "net.ipv4.neigh.eth0.proxy_delay=0");
            host.exec("ip", "route", "replace", vip + "/32", "dev", "lo");
            host.exec("ip", "neigh", "add", "proxy", vip, "dev", "eth0");
        }
    }

    /**
     * The responder stops answering for {@code vip}: its proxy entry and its route are removed (with proxy_arp on,
     * the kernel answers for any address routed out of another interface, entry or not).
     */
    public void stopProxy(final String name, final String vip) {
        final boolean v6 = vip.indexOf(':') >= 0;
        host(name).exec("ip", v6 ? "-6" : "-4", "neigh", "del", "proxy", vip, "dev", "eth0");
        host(name).exec("ip", v6 ? "-6" : "-4", "route", "del", vip + (v6 ? "/128" : "/32"), "dev", "lo");
    }

    public List<String> hostNames() {
        return List.copyOf(hosts.keySet());
    }

    @Override
    public void close() {
        hosts.values().forEach(NetworkNamespace::close);
        bridge.close();
    }
}
