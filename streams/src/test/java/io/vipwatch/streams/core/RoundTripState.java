package io.vipwatch.streams.core;

import java.util.ArrayList;
import java.util.List;

import io.vipwatch.streams.core.state.ClusterRecord;
import io.vipwatch.streams.core.state.NodeRecord;
import io.vipwatch.streams.core.state.ServiceRecord;
import io.vipwatch.streams.core.state.SourceRecord;
import io.vipwatch.streams.core.state.StateCodec;
import io.vipwatch.streams.core.state.Timer;
import io.vipwatch.streams.core.state.VipRecord;

/**
 * In-memory state that stores every record in its binary form, as the topology's key-value stores do: a
 * mutation the core forgets to {@code put} is lost here, like there, and the codec is exercised on every call.
 */
final class RoundTripState implements DetectionState {

    private final InMemoryState delegate = new InMemoryState();

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
    public ServiceRecord service(final String cluster, final String service) {
        final ServiceRecord r = delegate.service(cluster, service);
        return r == null ? null : StateCodec.decodeService(StateCodec.encode(r));
    }

    @Override
    public void putService(final String cluster, final ServiceRecord record) {
        delegate.putService(cluster, StateCodec.decodeService(StateCodec.encode(record)));
    }

    @Override
    public void removeService(final String cluster, final String service) {
        delegate.removeService(cluster, service);
    }

    @Override
    public NodeRecord node(final String cluster, final String node) {
        final NodeRecord r = delegate.node(cluster, node);
        return r == null ? null : StateCodec.decodeNode(StateCodec.encode(r));
    }

    @Override
    public void putNode(final String cluster, final NodeRecord record) {
        delegate.putNode(cluster, StateCodec.decodeNode(StateCodec.encode(record)));
    }

    @Override
    public void removeNode(final String cluster, final String node) {
        delegate.removeNode(cluster, node);
    }

    @Override
    public List<NodeRecord> nodes(final String cluster) {
        final List<NodeRecord> out = new ArrayList<>();
        delegate.nodes(cluster).forEach(r -> out.add(StateCodec.decodeNode(StateCodec.encode(r))));
        return out;
    }

    @Override
    public VipRecord vip(final String cluster, final String ip) {
        final VipRecord r = delegate.vip(cluster, ip);
        return r == null ? null : StateCodec.decodeVip(StateCodec.encode(r));
    }

    @Override
    public void putVip(final String cluster, final VipRecord record) {
        delegate.putVip(cluster, StateCodec.decodeVip(StateCodec.encode(record)));
    }

    @Override
    public void removeVip(final String cluster, final String ip) {
        delegate.removeVip(cluster, ip);
    }

    @Override
    public List<VipRecord> vips(final String cluster) {
        final List<VipRecord> out = new ArrayList<>();
        delegate.vips(cluster).forEach(r -> out.add(StateCodec.decodeVip(StateCodec.encode(r))));
        return out;
    }

    @Override
    public SourceRecord source(final String cluster, final String source) {
        final SourceRecord r = delegate.source(cluster, source);
        return r == null ? null : StateCodec.decodeSource(StateCodec.encode(r));
    }

    @Override
    public void putSource(final String cluster, final SourceRecord record) {
        delegate.putSource(cluster, StateCodec.decodeSource(StateCodec.encode(record)));
    }

    @Override
    public void removeSource(final String cluster, final String source) {
        delegate.removeSource(cluster, source);
    }

    @Override
    public List<SourceRecord> sources(final String cluster) {
        final List<SourceRecord> out = new ArrayList<>();
        delegate.sources(cluster).forEach(r -> out.add(StateCodec.decodeSource(StateCodec.encode(r))));
        return out;
    }

    @Override
    public void schedule(final String cluster, final Timer timer) {
        delegate.schedule(cluster, timer);
    }

    @Override
    public void unschedule(final String cluster, final Timer timer) {
        delegate.unschedule(cluster, timer);
    }

    @Override
    public Timer firstDue(final String cluster, final long upTo) {
        return delegate.firstDue(cluster, upTo);
    }
}
