package io.vipwatch.streams.internal;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import io.vipwatch.streams.core.DetectionState;
import io.vipwatch.streams.core.InMemoryState;
import io.vipwatch.streams.core.state.ClusterRecord;
import io.vipwatch.streams.core.state.NodeRecord;
import io.vipwatch.streams.core.state.ServiceRecord;
import io.vipwatch.streams.core.state.SourceRecord;
import io.vipwatch.streams.core.state.StateCodec;
import io.vipwatch.streams.core.state.Timer;
import io.vipwatch.streams.core.state.VipRecord;

/**
 * A task's detection state: worked on in memory, kept in changelogged key-value stores. The core reads and
 * mutates plain objects ({@link InMemoryState}); every record it hands back with {@code put} (or removes) is
 * remembered and written, in its {@link StateCodec} form, to its store at {@link #flush()} — after each input
 * record and each punctuation, so the stores (and their changelogs, committed with the outputs and offsets
 * under exactly-once) always hold what the core last decided. {@link #load()} rebuilds the memory from the
 * stores when the task starts (after Kafka Streams restored them from the changelogs).
 *
 * <p>The timer index is not stored: every pending wake-up is also the {@code wakeAt} of its VIP or source
 * record, so {@link #load()} rebuilds it from those.
 *
 * <p>Store keys are {@code cluster NUL id} (the cluster store: {@code cluster}).
 */
public final class TaskState implements DetectionState {

    private static final char SEP = '\u0000';

    private final InMemoryState memory = new InMemoryState();
    private final KeyValueStore<String, byte[]> clusters; // cluster -> ClusterRecord
    private final KeyValueStore<String, byte[]> services; // cluster NUL namespace/name -> ServiceRecord
    private final KeyValueStore<String, byte[]> nodes; // cluster NUL node -> NodeRecord
    private final KeyValueStore<String, byte[]> vips; // cluster NUL ip -> VipRecord
    private final KeyValueStore<String, byte[]> sources; // cluster NUL source -> SourceRecord
    /** Records put or removed since the last flush, in order (the store's current value comes from memory). */
    private final Set<Changed> changed = new LinkedHashSet<>();
    private final Tracked<ServiceRecord> trackedServices = new Tracked<>(Kind.SERVICE, memory.services());
    private final Tracked<NodeRecord> trackedNodes = new Tracked<>(Kind.NODE, memory.nodes());
    private final Tracked<VipRecord> trackedVips = new Tracked<>(Kind.VIP, memory.vips());
    private final Tracked<SourceRecord> trackedSources = new Tracked<>(Kind.SOURCE, memory.sources());

    private enum Kind { CLUSTER, SERVICE, NODE, VIP, SOURCE }

    private record Changed(Kind kind, String cluster, String id) {
    }

    public TaskState(final KeyValueStore<String, byte[]> clusters, final KeyValueStore<String, byte[]> services,
            final KeyValueStore<String, byte[]> nodes, final KeyValueStore<String, byte[]> vips,
            final KeyValueStore<String, byte[]> sources) {
        this.clusters = clusters;
        this.services = services;
        this.nodes = nodes;
        this.vips = vips;
        this.sources = sources;
    }

    /** Reads every store into memory and rebuilds the timer index; returns the number of records read. */
    public long load() {
        long count = 0;
        final StateCodec.Dedup dedup = new StateCodec.Dedup(); // one copy of each string, as when built from input
        try (KeyValueIterator<String, byte[]> it = clusters.all()) {
            while (it.hasNext()) {
                memory.putCluster(StateCodec.decodeCluster(it.next().value, dedup));
                count++;
            }
        }
        count += load(services, memory.services(), StateCodec::decodeService, dedup, (cluster, service) -> { });
        count += load(nodes, memory.nodes(), StateCodec::decodeNode, dedup, (cluster, node) -> { });
        count += load(vips, memory.vips(), StateCodec::decodeVip, dedup,
                (cluster, vip) -> wake(cluster, vip.wakeAt(), Timer.VIP, vip.ip()));
        count += load(sources, memory.sources(), StateCodec::decodeSource, dedup,
                (cluster, source) -> wake(cluster, source.wakeAt(), Timer.SOURCE, source.source()));
        return count;
    }

    /** Reads one store into memory, telling {@code loaded} of each record; returns the number of records read. */
    private static <R> long load(final KeyValueStore<String, byte[]> store, final Records<R> into,
            final BiFunction<byte[], StateCodec.Dedup, R> decode, final StateCodec.Dedup dedup,
            final BiConsumer<String, R> loaded) {
        long count = 0;
        try (KeyValueIterator<String, byte[]> it = store.all()) {
            while (it.hasNext()) {
                final KeyValue<String, byte[]> entry = it.next();
                final String cluster = clusterOf(entry.key);
                final R record = decode.apply(entry.value, dedup);
                into.put(cluster, record);
                loaded.accept(cluster, record);
                count++;
            }
        }
        return count;
    }

    /** A restored record's pending wake-up ({@code at} -1: none) goes back into the timer index. */
    private void wake(final String cluster, final long at, final byte kind, final String id) {
        if (at >= 0) {
            memory.timers().schedule(cluster, new Timer(at, kind, id));
        }
    }

    /** Writes every record changed since the last flush to its store. */
    public void flush() {
        if (changed.isEmpty()) {
            return;
        }
        for (final Changed c : changed) {
            switch (c.kind) {
                case CLUSTER -> clusters.put(c.cluster, StateCodec.encode(memory.cluster(c.cluster)));
                case SERVICE -> {
                    final ServiceRecord r = memory.services().get(c.cluster, c.id);
                    write(services, c, r == null ? null : StateCodec.encode(r));
                }
                case NODE -> {
                    final NodeRecord r = memory.nodes().get(c.cluster, c.id);
                    write(nodes, c, r == null ? null : StateCodec.encode(r));
                }
                case VIP -> {
                    final VipRecord r = memory.vips().get(c.cluster, c.id);
                    write(vips, c, r == null ? null : StateCodec.encode(r));
                }
                case SOURCE -> {
                    final SourceRecord r = memory.sources().get(c.cluster, c.id);
                    write(sources, c, r == null ? null : StateCodec.encode(r));
                }
            }
        }
        changed.clear();
    }

    private static void write(final KeyValueStore<String, byte[]> store, final Changed c, final byte[] value) {
        if (value == null) {
            store.delete(c.cluster + SEP + c.id);
        } else {
            store.put(c.cluster + SEP + c.id, value);
        }
    }

    private static String clusterOf(final String key) {
        final int sep = key.indexOf(SEP);
        if (sep < 0) {
            throw new IllegalStateException("state store key without a cluster: " + key);
        }
        return key.substring(0, sep);
    }

    private void changed(final Kind kind, final String cluster, final String id) {
        changed.add(new Changed(kind, cluster, id));
    }

    @Override
    public ClusterRecord cluster(final String cluster) {
        return memory.cluster(cluster);
    }

    @Override
    public void putCluster(final ClusterRecord record) {
        memory.putCluster(record);
        changed(Kind.CLUSTER, record.cluster(), "");
    }

    @Override
    public List<String> clusters() {
        return memory.clusters();
    }

    @Override
    public Records<ServiceRecord> services() {
        return trackedServices;
    }

    @Override
    public Records<NodeRecord> nodes() {
        return trackedNodes;
    }

    @Override
    public Records<VipRecord> vips() {
        return trackedVips;
    }

    @Override
    public Records<SourceRecord> sources() {
        return trackedSources;
    }

    /** One kind of record in memory, remembering what is put or removed for {@link #flush()}. */
    private final class Tracked<R> implements Records<R> {

        private final Kind kind;
        private final Records<R> kept;

        Tracked(final Kind kind, final Records<R> kept) {
            this.kind = kind;
            this.kept = kept;
        }

        @Override
        public R get(final String cluster, final String id) {
            return kept.get(cluster, id);
        }

        @Override
        public void put(final String cluster, final R record) {
            kept.put(cluster, record);
            changed(kind, cluster, kept.id(record));
        }

        @Override
        public void remove(final String cluster, final String id) {
            kept.remove(cluster, id);
            changed(kind, cluster, id);
        }

        @Override
        public List<R> all(final String cluster) {
            return kept.all(cluster);
        }

        @Override
        public String id(final R record) {
            return kept.id(record);
        }
    }

    @Override
    public Timers timers() {
        return memory.timers();
    }
}
