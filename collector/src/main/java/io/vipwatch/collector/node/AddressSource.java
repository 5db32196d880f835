package io.vipwatch.collector.node;

import java.io.IOException;
import java.util.List;
import java.util.SortedMap;

import io.vipwatch.schemas.event.NodeAddresses.Address;

/**
 * Where the node agent reads the node's addresses: {@link IpCommandSource} ({@code ip -o addr} plus
 * {@code ip -o monitor address}) or {@link NetworkInterfaceSource} ({@code java.net.NetworkInterface}, polled).
 */
public interface AddressSource {

    /**
     * The node's global-scope addresses now, IPs in canonical text.
     *
     * @throws IOException naming what could not be read
     */
    List<Address> read() throws IOException;

    /**
     * Every interface's link-layer address now: interface name → MAC (lowercase {@code aa:bb:cc:dd:ee:ff}), sorted
     * by name; interfaces without an Ethernet address (loopback, tunnels) are left out. The topology maps a MAC heard
     * on the wire back to this node with it.
     *
     * @throws IOException naming what could not be read
     */
    SortedMap<String, String> links() throws IOException;

    /**
     * Calls {@code onChange} from a thread of its own whenever an address may have been added or removed, until
     * the returned handle is closed. A signal may be spurious; the agent reads and compares.
     */
    AutoCloseable watch(Runnable onChange);

    /** For logs: how addresses are read. */
    String describe();
}
