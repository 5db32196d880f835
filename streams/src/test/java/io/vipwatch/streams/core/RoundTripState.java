package io.vipwatch.streams.core;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import io.vipwatch.streams.core.state.ClusterRecord;
import io.vipwatch.streams.core.state.NodeRecord;
import io.vipwatch.streams.core.state.ServiceRecord;
import io.vipwatch.streams.core.state.SourceRecord;
import io.vipwatch.streams.core.state.StateCodec;
import io.vipwatch.streams.core.state.VipRecord;

/**
 * In-memory state that stores every record in its binary form, as the topology's key-value stores do: a
 * mutation the core forgets to {@code put} is lost here, like there, and the codec is exercised on every call.
 */
final class RoundTripState implements DetectionState {

    private final InMemoryState delegate = new InMemoryState();
    private final Coded<ServiceRecord> services = new Coded<>(delegate.services(), StateCodec::encode,
            StateCodec::decodeService);
    private final Coded<NodeRecord> nodes = new Coded<>(delegate.nodes(), StateCodec::encode, StateCodec::decodeNode);
    private final Coded<VipRecord> vips = new Coded<>(delegate.vips(), StateCodec::encode, StateCodec::decodeVip);
    private final Coded<SourceRecord> sources = new Coded<>(delegate.sources(), StateCodec::encode,
            StateCodec::decodeSource);

    /** One kind of record, put and got through the codec. */
    private record Coded<R>(Records<R> kept, Function<R, byte[]> encode, Function<byte[], R> decode)
            implements Records<R> {

        private R copy(final R record) {
            return record == null ? null : decode.apply(encode.apply(record));
        }

        @Override
        public R get(final String cluster, final String id) {
            return copy(kept.get(cluster, id));
        }

        @Override
        public void put(final String cluster, final R record) {
            kept.put(cluster, copy(record));
        }

        @Override
        public void remove(final String cluster, final String id) {
            kept.remove(cluster, id);
        }

        @Override
        public List<R> all(final String cluster) {
            final List<R> out = new ArrayList<>();
            kept.all(cluster).forEach(r -> out.add(copy(r)));
            return out;
        }

        @Override
        public String id(final R record) {
            return kept.id(record);
        }
    }

    @Override
    public ClusterRecord cluster(final String cluster) {
        final ClusterRecord r = delegate.cluster(cluster);
        return r == null ? null : StateCodec.decodeCluster(StateCodec.encode(r));
    }

    @Override
    public void putCluster(final ClusterRecord record) {
        delegate.putCluster(StateCodec.decodeCluster(StateCodec.encode(record)));
    }

    @Override
    public List<String> clusters() {
        return delegate.clusters();
    }

    @Override
    public Records<ServiceRecord> services() {
        return services;
    }

    @Override
    public Records<NodeRecord> nodes() {
        return nodes;
    }

    @Override
    public Records<VipRecord> vips() {
        return vips;
    }

    @Override
    public Records<SourceRecord> sources() {
        return sources;
    }

    @Override
    public Timers timers() {
        return delegate.timers();
    }
}
