package io.vipwatch.collector.node;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vipwatch.schemas.Ips;
import io.vipwatch.schemas.event.NodeAddresses.Address;

/**
 * Addresses from {@code java.net.NetworkInterface}, for images without iproute2. The JDK does not report an
 * address's scope, so global means: not loopback, link-local, multicast or wildcard. Changes are found by reading
 * every {@code pollIntervalMs} (100 ms finds a change in about 50 ms).
 */
public final class NetworkInterfaceSource implements AddressSource {

    private static final Logger LOG = LoggerFactory.getLogger(NetworkInterfaceSource.class);

    private final long pollIntervalMs;

    public NetworkInterfaceSource(final long pollIntervalMs) {
        if (pollIntervalMs <= 0) {
            throw new IllegalArgumentException("the poll interval must be positive, got " + pollIntervalMs);
        }
        this.pollIntervalMs = pollIntervalMs;
    }

    @Override
    public List<Address> read() throws IOException {
        final List<Address> addresses = new ArrayList<>();
        for (final NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (final InterfaceAddress entry : nic.getInterfaceAddresses()) {
                final InetAddress address = entry.getAddress();
                if (address == null || address.isLoopbackAddress() || address.isLinkLocalAddress()
                        || address.isMulticastAddress() || address.isAnyLocalAddress()) {
                    continue;
                }
                final String text = address.getHostAddress();
                final int zone = text.indexOf('%');
                addresses.add(new Address(nic.getName(), Ips.canonical(zone >= 0 ? text.substring(0, zone) : text),
                        prefix(entry, address)));
            }
        }
        return addresses;
    }

    @Override
    public SortedMap<String, String> links() throws IOException {
        final SortedMap<String, String> links = new TreeMap<>();
        for (final NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            final byte[] mac = nic.isLoopback() ? null : nic.getHardwareAddress();
            if (mac != null && mac.length == 6) {
                links.put(nic.getName(), HexFormat.ofDelimiter(":").formatHex(mac));
            }
        }
        return links;
    }

    @Override
    public AutoCloseable watch(final Runnable onChange) {
        final Thread thread = new Thread(() -> {
            List<Address> last = null;
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    final List<Address> now = NodeAgent.sorted(read());
                    if (last != null && !now.equals(last)) {
                        onChange.run();
                    }
                    last = now;
                } catch (final IOException e) {
                    LOG.debug("polling interfaces failed: {}", e.toString());
                }
                try {
                    TimeUnit.MILLISECONDS.sleep(pollIntervalMs); // the polling period itself, not a wait for a condition
                } catch (final InterruptedException e) {
                    return;
                }
            }
        }, "vipwatch-interface-poll");
        thread.setDaemon(true);
        thread.start();
        return () -> {
            thread.interrupt();
            thread.join(2_000);
        };
    }

    @Override
    public String describe() {
        return "java.net.NetworkInterface, polled every " + pollIntervalMs + " ms";
    }

    private static int prefix(final InterfaceAddress entry, final InetAddress address) {
        final int max = address instanceof Inet4Address ? 32 : 128;
        final short length = entry.getNetworkPrefixLength();
        return length < 0 || length > max ? max : length;
    }
}
