package io.vipwatch.streams.core;

import java.util.List;

/**
 * Whether a condition holds for a VIP right now, and what an alert about it would say.
 *
 * @param nodes   sorted node names involved
 * @param service namespace/name, or null
 * @param hint    root-cause hint, or null
 */
record Finding(boolean holds, List<String> nodes, String service, String hint) {

    static final Finding NONE = new Finding(false, List.of(), null, null);

    static Finding of(final List<String> nodes, final String service, final String hint) {
        return new Finding(true, nodes, service, hint);
    }
}
