package io.vipwatch.collector.probe;

import java.util.Set;
import java.util.function.Consumer;

/**
 * Which VIPs the prober asks about: those a Service of the cluster claims. {@link StaticVips} (a list given with
 * {@code --probe-vips}) or {@link VipStateVips} (the compacted topic {@code vipwatch.vip-state.v1}).
 */
public interface VipSource extends AutoCloseable {

    /**
     * Starts following the set; {@code onChange} gets every new set (canonical IPs), the first one as soon as it is
     * known, from a thread of the source's own.
     */
    void start(Consumer<Set<String>> onChange);

    String describe();

    @Override
    void close();
}
