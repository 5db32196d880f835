package io.vipwatch.streams.internal;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

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
        try (KeyValueIterator<String, byte[]> it = services.all()) {
            while (it.hasNext()) {
                final KeyValue<String, byte[]> entry = it.next();
                memory.putService(clusterOf(entry.key), StateCodec.decodeService(entry.value, dedup));
                count++;
            }
        }
        try (KeyValueIterator<String, byte[]> it = nodes.all()) {
            while (it.hasNext()) {
                final KeyValue<String, byte[]> entry = it.next();
                memory.putNode(clusterOf(entry.key), StateCodec.decodeNode(entry.value, dedup));
                count++;
            }
        }
        try (KeyValueIterator<String, byte[]> it = vips.all()) {
            while (it.hasNext()) {
                final KeyValue<String, byte[]> entry = it.next();
                final String cluster = clusterOf(entry.key);
                final VipRecord vip = StateCodec.decodeVip(entry.value, dedup);
                memory.putVip(cluster, vip);
                if (vip.wakeAt() >= 0) {
                    memory.schedule(cluster, new Timer(vip.wakeAt(), Timer.VIP, vip.ip()));
                }
                count++;
            }
        }
        try (KeyValueIterator<String, byte[]> it = sources.all()) {
            while (it.hasNext()) {
                final KeyValue<String, byte[]> entry = it.next();
                final String cluster = clusterOf(entry.key);
                final SourceRecord source = StateCodec.decodeSource(entry.value, dedup);
                memory.putSource(cluster, source);
                if (source.wakeAt() >= 0) {
                    memory.schedule(cluster, new Timer(source.wakeAt(), Timer.SOURCE, source.source()));
                }
                count++;
            }
        }
        return count;
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
                    final ServiceRecord r = memory.service(c.cluster, c.id);
                    write(services, c, r == null ? null : StateCodec.encode(r));
                }
                case NODE -> {
                    final NodeRecord r = memory.node(c.cluster, c.id);
                    write(nodes, c, r == null ? null : StateCodec.encode(r));
                }
                case VIP -> {
                    final VipRecord r = memory.vip(c.cluster, c.id);
                    write(vips, c, r == null ? null : StateCodec.encode(r));
                }
                case SOURCE -> {
                    final SourceRecord r = memory.source(c.cluster, c.id);
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
    public ServiceRecord service(final String cluster, final String service) {
        return memory.service(cluster, service);
    }

    @Override
    public void putService(final String cluster, final ServiceRecord record) {
        memory.putService(cluster, record);
        changed(Kind.SERVICE, cluster, record.name());
    }

    @Override
    public void removeService(final String cluster, final String service) {
        memory.removeService(cluster, service);
        changed(Kind.SERVICE, cluster, service);
    }

    @Override
    public NodeRecord node(final String cluster, final String node) {
        return memory.node(cluster, node);
    }

    @Override
    public void putNode(final String cluster, final NodeRecord record) {
        memory.putNode(cluster, record);
        changed(Kind.NODE, cluster, record.name());
    }

    @Override
    public void removeNode(final String cluster, final String node) {
        memory.removeNode(cluster, node);
        changed(Kind.NODE, cluster, node);
    }

    @Override
    public List<NodeRecord> nodes(final String cluster) {
        return memory.nodes(cluster);
    }

    @Override
    public VipRecord vip(final String cluster, final String ip) {
        return memory.vip(cluster, ip);
    }

    @Override
    public void putVip(final String cluster, final VipRecord record) {
        memory.putVip(cluster, record);
        changed(Kind.VIP, cluster, record.ip());
    }

    @Override
    public void removeVip(final String cluster, final String ip) {
        memory.removeVip(cluster, ip);
        changed(Kind.VIP, cluster, ip);
    }

    @Override
    public List<VipRecord> vips(final String cluster) {
        return memory.vips(cluster);
    }

    @Override
    public SourceRecord source(final String cluster, final String source) {
        return memory.source(cluster, source);
    }

    @Override
    public void putSource(final String cluster, final SourceRecord record) {
        memory.putSource(cluster, record);
        changed(Kind.SOURCE, cluster, record.source());
    }

    @Override
    public void removeSource(final String cluster, final String source) {
        memory.removeSource(cluster, source);
        changed(Kind.SOURCE, cluster, source);
    }

    @Override
    public List<SourceRecord> sources(final String cluster) {
        return memory.sources(cluster);
    }

    @Override
    public void schedule(final String cluster, final Timer timer) {
        memory.schedule(cluster, timer);
    }

    @Override
    public void unschedule(final String cluster, final Timer timer) {
        memory.unschedule(cluster, timer);
    }

    @Override
    public Timer firstDue(final String cluster, final long upTo) {
        return memory.firstDue(cluster, upTo);
    }
}
