package io.vipwatch.collector.probe;

import java.io.IOException;
import java.time.Duration;
import java.util.SortedSet;

/**
 * Asks the wire who answers for one address: an ARP request (IPv4) or a neighbour solicitation (IPv6) on one
 * interface, and every reply within the window.
 */
public interface WireProber {

    /**
     * Sends the request and collects the replies until {@code window} has passed.
     *
     * @return the link-layer addresses that answered, lowercase {@code aa:bb:cc:dd:ee:ff}, distinct and sorted;
     *         empty when none did
     * @throws IOException naming the interface and address when the request could not be sent
     */
    SortedSet<String> probe(String iface, String ip, Duration window) throws IOException;

    /** For logs: how this prober asks. */
    String describe();
}
