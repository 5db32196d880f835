package io.vipwatch.collector.node;

import java.io.IOException;
import java.util.List;

import io.vipwatch.schemas.event.NodeAddressesEvent.Address;

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
     * Calls {@code onChange} from a thread of its own whenever an address may have been added or removed, until
     * the returned handle is closed. A signal may be spurious; the agent reads and compares.
     */
    AutoCloseable watch(Runnable onChange);

    /** For logs: how addresses are read. */
    String describe();
}
