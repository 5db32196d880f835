package io.vipwatch.streams.core.state;

/**
 * One instance per distinct name that many records repeat (nodes, interfaces, pools, sources, clusters): a
 * fleet has a few thousand of them and a million records naming them, whether the records were built from
 * input events (each event decodes its own copy) or restored from a store. The JVM's string table holds the
 * names weakly, so a name no record uses any more is collected.
 */
public final class Names {

    private Names() {
    }

    public static String intern(final String name) {
        return name == null ? null : name.intern();
    }
}
