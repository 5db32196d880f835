package io.vipwatch.streams.core.state;

/**
 * One instance per distinct name that many records repeat (nodes, interfaces, pools, sources, clusters): a
 * fleet has a few thousand of them and a million records naming them, whether the records were built from
 * input events (each event decodes its own copy) or restored from a store. The JVM's string table holds the
 * names weakly, so a name no record uses any more is collected.
 *
 * <p>{@link String#intern} is a call into the VM, and the hot path asks it for the same few names again and again
 * (every heartbeat names its node); a small direct-mapped table of recently interned names answers those first.
 * It only ever holds what {@code intern} returned, so the answer is the same instance; it holds at most
 * {@value #SLOTS} names strongly (a collision replaces the slot). Shared by all threads: a slot is one reference to
 * an immutable String, so a racing reader sees either the old or the new name, each a right answer.
 */
public final class Names {

    private static final int SLOTS = 4096; // a power of two
    private static final String[] RECENT = new String[SLOTS];

    private Names() {
    }

    public static String intern(final String name) {
        if (name == null) {
            return null;
        }
        final int h = name.hashCode();
        final int slot = (h ^ (h >>> 16)) & (SLOTS - 1);
        final String known = RECENT[slot];
        if (known == name || (known != null && known.equals(name))) {
            return known;
        }
        final String interned = name.intern();
        RECENT[slot] = interned;
        return interned;
    }
}
