package io.vipwatch.streams.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.apache.kafka.common.serialization.BytesSerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import io.vipwatch.streams.core.DetectionState;
import io.vipwatch.streams.core.state.ClusterRecord;
import io.vipwatch.streams.core.state.NodeRecord;
import io.vipwatch.streams.core.state.ServiceRecord;
import io.vipwatch.streams.core.state.SourceRecord;
import io.vipwatch.streams.core.state.StateCodec;
import io.vipwatch.streams.core.state.Timer;
import io.vipwatch.streams.core.state.VipRecord;

/**
 * The core's state in Kafka Streams key-value stores (changelogged, so a task that moves or restarts
 * resumes exactly). Keys are {@code cluster NUL id}; timers are {@code cluster NUL due(8 bytes, big-endian,
 * sign-flipped) kind id}, so a prefix scan returns a cluster's timers in due order.
 */
public final class StoreState implements DetectionState {

    private static final char SEP = '\u0000';
    private static final StringSerializer STRINGS = new StringSerializer();
    private static final BytesSerializer BYTES = new BytesSerializer();

    private final KeyValueStore<String, byte[]> clusters; // cluster -> ClusterRecord
    private final KeyValueStore<String, byte[]> services; // cluster NUL namespace/name -> ServiceRecord
    private final KeyValueStore<String, byte[]> nodes; // cluster NUL node -> NodeRecord
    private final KeyValueStore<String, byte[]> vips; // cluster NUL ip -> VipRecord
    private final KeyValueStore<String, byte[]> sources; // cluster NUL source -> SourceRecord
    private final KeyValueStore<Bytes, byte[]> timers; // cluster NUL due kind id -> empty

    public StoreState(final KeyValueStore<String, byte[]> clusters, final KeyValueStore<String, byte[]> services,
            final KeyValueStore<String, byte[]> nodes, final KeyValueStore<String, byte[]> vips,
            final KeyValueStore<String, byte[]> sources, final KeyValueStore<Bytes, byte[]> timers) {
        this.clusters = clusters;
        this.services = services;
        this.nodes = nodes;
        this.vips = vips;
        this.sources = sources;
        this.timers = timers;
    }

    private static String key(final String cluster, final String id) {
        return cluster + SEP + id;
    }

    private static <T> T get(final KeyValueStore<String, byte[]> store, final String key,
            final Function<byte[], T> decode) {
        final byte[] bytes = store.get(key);
        return bytes == null ? null : decode.apply(bytes);
    }

    private static <T> List<T> scan(final KeyValueStore<String, byte[]> store, final String cluster,
            final Function<byte[], T> decode) {
        final List<T> out = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = store.prefixScan(cluster + SEP, STRINGS)) {
            while (it.hasNext()) {
                out.add(decode.apply(it.next().value));
            }
        }
        return out;
    }

    @Override
    public ClusterRecord cluster(final String cluster) {
        return get(clusters, cluster, StateCodec::decodeCluster);
    }

    @Override
    public void putCluster(final ClusterRecord record) {
        clusters.put(record.cluster, StateCodec.encode(record));
    }

    @Override
    public List<String> clusters() {
        final List<String> out = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = clusters.all()) {
            while (it.hasNext()) {
                out.add(it.next().key);
            }
        }
        out.sort(null);
        return out;
    }

    @Override
    public ServiceRecord service(final String cluster, final String service) {
        return get(services, key(cluster, service), StateCodec::decodeService);
    }

    @Override
    public void putService(final String cluster, final ServiceRecord record) {
        services.put(key(cluster, record.name), StateCodec.encode(record));
    }

    @Override
    public void removeService(final String cluster, final String service) {
        services.delete(key(cluster, service));
    }

    @Override
    public NodeRecord node(final String cluster, final String node) {
        return get(nodes, key(cluster, node), StateCodec::decodeNode);
    }

    @Override
    public void putNode(final String cluster, final NodeRecord record) {
        nodes.put(key(cluster, record.name), StateCodec.encode(record));
    }

    @Override
    public void removeNode(final String cluster, final String node) {
        nodes.delete(key(cluster, node));
    }

    @Override
    public List<NodeRecord> nodes(final String cluster) {
        return scan(nodes, cluster, StateCodec::decodeNode);
    }

    @Override
    public VipRecord vip(final String cluster, final String ip) {
        return get(vips, key(cluster, ip), StateCodec::decodeVip);
    }

    @Override
    public void putVip(final String cluster, final VipRecord record) {
        vips.put(key(cluster, record.ip), StateCodec.encode(record));
    }

    @Override
    public void removeVip(final String cluster, final String ip) {
        vips.delete(key(cluster, ip));
    }

    @Override
    public List<VipRecord> vips(final String cluster) {
        return scan(vips, cluster, StateCodec::decodeVip);
    }

    @Override
    public SourceRecord source(final String cluster, final String source) {
        return get(sources, key(cluster, source), StateCodec::decodeSource);
    }

    @Override
    public void putSource(final String cluster, final SourceRecord record) {
        sources.put(key(cluster, record.source), StateCodec.encode(record));
    }

    @Override
    public void removeSource(final String cluster, final String source) {
        sources.delete(key(cluster, source));
    }

    @Override
    public List<SourceRecord> sources(final String cluster) {
        return scan(sources, cluster, StateCodec::decodeSource);
    }

    @Override
    public void schedule(final String cluster, final Timer timer) {
        timers.put(timerKey(cluster, timer), new byte[0]);
    }

    @Override
    public void unschedule(final String cluster, final Timer timer) {
        timers.delete(timerKey(cluster, timer));
    }

    @Override
    public Timer firstDue(final String cluster, final long upTo) {
        final byte[] prefix = prefix(cluster);
        try (KeyValueIterator<Bytes, byte[]> it = timers.prefixScan(Bytes.wrap(prefix), BYTES)) {
            if (!it.hasNext()) {
                return null;
            }
            final KeyValue<Bytes, byte[]> first = it.next();
            final ByteBuffer key = ByteBuffer.wrap(first.key.get());
            key.position(prefix.length);
            final long due = key.getLong() ^ Long.MIN_VALUE;
            if (due > upTo) {
                return null;
            }
            final byte kind = key.get();
            final String id = new String(first.key.get(), key.position(), key.remaining(), StandardCharsets.UTF_8);
            return new Timer(due, kind, id);
        }
    }

    private static byte[] prefix(final String cluster) {
        final byte[] name = cluster.getBytes(StandardCharsets.UTF_8);
        final byte[] prefix = new byte[name.length + 1];
        System.arraycopy(name, 0, prefix, 0, name.length);
        return prefix;
    }

    private static Bytes timerKey(final String cluster, final Timer timer) {
        final byte[] name = cluster.getBytes(StandardCharsets.UTF_8);
        final byte[] id = timer.id().getBytes(StandardCharsets.UTF_8);
        final ByteBuffer key = ByteBuffer.allocate(name.length + 1 + 8 + 1 + id.length);
        key.put(name).put((byte) 0).putLong(timer.due() ^ Long.MIN_VALUE).put(timer.kind()).put(id);
        return Bytes.wrap(key.array());
    }
}
