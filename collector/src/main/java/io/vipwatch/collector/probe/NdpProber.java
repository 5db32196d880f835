package io.vipwatch.collector.probe;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SortedSet;
import java.util.TreeSet;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.ptr.IntByReference;

/**
 * IPv6: one neighbour solicitation per probe from a raw ICMPv6 socket (libc through JNA; the process needs
 * {@code CAP_NET_RAW}), then every neighbour advertisement for the target that arrives on the interface within the
 * window, each one's MAC read from its target link-layer address option.
 *
 * <p>Not {@code ndisc6}: it drops every advertisement whose IPv6 source is not the target itself, and a proxy
 * answers from its own link-local address — the kernel's proxy NDP does, and so does MetalLB's speaker, the very
 * responder a probe must hear. {@code ndisc6 -m} prints only the binder (checked on a bridge of namespaces).
 */
public final class NdpProber implements WireProber {

    private static final int AF_INET6 = 10;
    private static final int SOCK_RAW = 3;
    private static final int SOCK_CLOEXEC = 02000000;
    private static final int IPPROTO_IPV6 = 41;
    private static final int IPPROTO_ICMPV6 = 58;
    private static final int SOL_SOCKET = 1;
    private static final int SO_BINDTODEVICE = 25;
    private static final int IPV6_UNICAST_HOPS = 16;
    private static final int IPV6_MULTICAST_HOPS = 18;
    private static final int ICMP6_FILTER = 1;
    private static final int MSG_DONTWAIT = 0x40;
    private static final short POLLIN = 1;
    private static final int EINTR = 4;
    private static final int EAGAIN = 11;
    private static final int NEIGHBOR_SOLICIT = 135;
    private static final int NEIGHBOR_ADVERT = 136;
    private static final int SOCKADDR_IN6 = 28;

    /** The few libc calls a raw ICMPv6 socket needs. */
    interface LibC extends Library {
        int socket(int domain, int type, int protocol);

        int setsockopt(int fd, int level, int name, byte[] value, int length);

        long sendto(int fd, byte[] buffer, long length, int flags, byte[] address, int addressLength);

        long recvfrom(int fd, byte[] buffer, long length, int flags, byte[] address, IntByReference addressLength);

        int poll(Memory fds, long count, int timeoutMs);

        int close(int fd);
    }

    private static volatile LibC libc;

    @Override
    public SortedSet<String> probe(final String iface, final String ip, final Duration window) throws IOException {
        final byte[] target = address(ip);
        final NetworkInterface nic = NetworkInterface.getByName(iface);
        if (nic == null) {
            throw new IOException("NDP probe of " + ip + ": no interface " + iface);
        }
        final byte[] mac = nic.getHardwareAddress();
        final LibC c = libc();
        final int fd = c.socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMPV6);
        if (fd < 0) {
            throw failure("socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6) (needs CAP_NET_RAW)", iface, ip);
        }
        try {
            option(c, fd, SOL_SOCKET, SO_BINDTODEVICE, (iface + "\0").getBytes(StandardCharsets.US_ASCII),
                    "SO_BINDTODEVICE", iface, ip);
            option(c, fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, intValue(255), "IPV6_MULTICAST_HOPS", iface, ip);
            option(c, fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, intValue(255), "IPV6_UNICAST_HOPS", iface, ip);
            option(c, fd, IPPROTO_ICMPV6, ICMP6_FILTER, advertisementsOnly(), "ICMP6_FILTER", iface, ip);
            final byte[] solicitation = solicitation(target, mac);
            final byte[] destination = sockaddr(solicitedNode(target), nic.getIndex());
            if (c.sendto(fd, solicitation, solicitation.length, 0, destination, destination.length) < 0) {
                throw failure("sendto", iface, ip);
            }
            return receive(c, fd, target, System.nanoTime() + window.toNanos(), iface, ip);
        } finally {
            c.close(fd);
        }
    }

    private static SortedSet<String> receive(final LibC c, final int fd, final byte[] target, final long deadline,
            final String iface, final String ip) throws IOException {
        final SortedSet<String> macs = new TreeSet<>();
        final byte[] buffer = new byte[1500];
        final byte[] from = new byte[SOCKADDR_IN6];
        try (Memory pollFd = new Memory(8)) {
            while (true) {
                final long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return macs;
                }
                pollFd.setInt(0, fd);
                pollFd.setShort(4, POLLIN);
                pollFd.setShort(6, (short) 0);
                final int ready = c.poll(pollFd, 1, (int) Math.max(1, left / 1_000_000));
                if (ready < 0 && Native.getLastError() != EINTR) {
                    throw failure("poll", iface, ip);
                }
                if (ready <= 0) {
                    continue;
                }
                while (true) {
                    final long length = c.recvfrom(fd, buffer, buffer.length, MSG_DONTWAIT, from,
                            new IntByReference(from.length));
                    if (length < 0) {
                        final int errno = Native.getLastError();
                        if (errno == EAGAIN || errno == EINTR) {
                            break;
                        }
                        throw failure("recvfrom", iface, ip);
                    }
                    final String mac = advertisedMac(buffer, (int) length, target);
                    if (mac != null) {
                        macs.add(mac);
                    }
                }
            }
        }
    }

    /**
     * The target link-layer address of a neighbour advertisement for {@code target}, or null when the packet is
     * another one or carries no such option.
     */
    static String advertisedMac(final byte[] packet, final int length, final byte[] target) {
        if (length < 24 || (packet[0] & 0xff) != NEIGHBOR_ADVERT || packet[1] != 0
                || !Arrays.equals(packet, 8, 24, target, 0, 16)) {
            return null;
        }
        int at = 24;
        while (at + 8 <= length) {
            final int type = packet[at] & 0xff;
            final int size = (packet[at + 1] & 0xff) * 8;
            if (size == 0) {
                return null; // malformed: a zero-length option
            }
            if (type == 2 && size >= 8) {
                return HexFormat.ofDelimiter(":").formatHex(packet, at + 2, at + 8);
            }
            at += size;
        }
        return null;
    }

    /** A neighbour solicitation for {@code target}, with the source link-layer address option when there is one. */
    static byte[] solicitation(final byte[] target, final byte[] mac) {
        final boolean withMac = mac != null && mac.length == 6;
        final byte[] packet = new byte[withMac ? 32 : 24];
        packet[0] = (byte) NEIGHBOR_SOLICIT; // code, checksum (the kernel computes it) and reserved stay zero
        System.arraycopy(target, 0, packet, 8, 16);
        if (withMac) {
            packet[24] = 1; // source link-layer address, 1 unit of 8 bytes
            packet[25] = 1;
            System.arraycopy(mac, 0, packet, 26, 6);
        }
        return packet;
    }

    /** ff02::1:ffXX:XXXX, the solicited-node multicast group of {@code target}. */
    static byte[] solicitedNode(final byte[] target) {
        final byte[] group = new byte[16];
        group[0] = (byte) 0xff;
        group[1] = 0x02;
        group[11] = 0x01;
        group[12] = (byte) 0xff;
        System.arraycopy(target, 13, group, 13, 3);
        return group;
    }

    private static byte[] sockaddr(final byte[] address, final int scope) {
        final ByteBuffer sockaddr = ByteBuffer.allocate(SOCKADDR_IN6).order(ByteOrder.nativeOrder());
        sockaddr.putShort((short) AF_INET6).putShort((short) 0).putInt(0).put(address).putInt(scope);
        return sockaddr.array();
    }

    /** An ICMPv6 filter that passes neighbour advertisements only (a set bit blocks a type). */
    private static byte[] advertisementsOnly() {
        final ByteBuffer filter = ByteBuffer.allocate(32).order(ByteOrder.nativeOrder());
        for (int word = 0; word < 8; word++) {
            filter.putInt(word == NEIGHBOR_ADVERT >> 5 ? ~(1 << (NEIGHBOR_ADVERT & 31)) : -1);
        }
        return filter.array();
    }

    private static byte[] intValue(final int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array();
    }

    private static void option(final LibC c, final int fd, final int level, final int name, final byte[] value,
            final String what, final String iface, final String ip) throws IOException {
        if (c.setsockopt(fd, level, name, value, value.length) < 0) {
            throw failure("setsockopt " + what, iface, ip);
        }
    }

    private static byte[] address(final String ip) throws IOException {
        final InetAddress address = InetAddress.getByName(ip);
        if (!(address instanceof Inet6Address)) {
            throw new IOException("NDP probe: " + ip + " is not an IPv6 address");
        }
        return address.getAddress();
    }

    private static IOException failure(final String call, final String iface, final String ip) {
        return new IOException("NDP probe of " + ip + " on " + iface + ": " + call + " failed, errno "
                + Native.getLastError());
    }

    private static LibC libc() throws IOException {
        LibC loaded = libc;
        if (loaded == null) {
            try {
                loaded = Native.load("c", LibC.class);
            } catch (final UnsatisfiedLinkError e) {
                throw new IOException("NDP probes need libc through JNA: " + e.getMessage(), e);
            }
            libc = loaded;
        }
        return loaded;
    }

    @Override
    public String describe() {
        return "a raw ICMPv6 socket (neighbour solicitation, every advertisement in the window)";
    }
}
