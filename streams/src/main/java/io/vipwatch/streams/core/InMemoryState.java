package io.vipwatch.streams.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import io.vipwatch.streams.core.state.ClusterRecord;
import io.vipwatch.streams.core.state.NodeRecord;
import io.vipwatch.streams.core.state.ServiceRecord;
import io.vipwatch.streams.core.state.SourceRecord;
import io.vipwatch.streams.core.state.Timer;
import io.vipwatch.streams.core.state.VipRecord;

/** State in plain maps, for analyze and unit tests. Not thread-safe. */
public final class InMemoryState implements DetectionState {

    /** cluster -> everything of that cluster. */
    private final Map<String, Cluster> clusters = new HashMap<>();

    private static final class Cluster {
        ClusterRecord record;
        final Map<String, ServiceRecord> services = new HashMap<>(); // namespace/name -> service
        final Map<String, NodeRecord> nodes = new HashMap<>(); // node -> node
        final Map<String, VipRecord> vips = new HashMap<>(); // ip -> VIP
        final Map<String, SourceRecord> sources = new HashMap<>(); // source -> source
        final TreeSet<Timer> timers = new TreeSet<>();
        /** The earliest of {@link #timers} (asked for on nearly every event), or null when not known. */
        Timer first;
    }

    // consecutive calls are nearly always about the same cluster
    private String lastName;
    private Cluster last;

    private Cluster of(final String cluster) {
        if (cluster.equals(lastName)) {
            return last;
        }
        final Cluster c = clusters.computeIfAbsent(cluster, name -> new Cluster());
        lastName = cluster;
        last = c;
        return c;
    }

    @Override
    public ClusterRecord cluster(final String cluster) {
        return of(cluster).record;
    }

    @Override
    public void putCluster(final ClusterRecord record) {
        of(record.cluster()).record = record;
    }

    @Override
    public List<String> clusters() {
        final List<String> names = new ArrayList<>(clusters.keySet());
        names.sort(null);
        return names;
    }

    @Override
    public ServiceRecord service(final String cluster, final String service) {
        return of(cluster).services.get(service);
    }

    @Override
    public void putService(final String cluster, final ServiceRecord record) {
        of(cluster).services.put(record.name(), record);
    }

    @Override
    public void removeService(final String cluster, final String service) {
        of(cluster).services.remove(service);
    }

    @Override
    public NodeRecord node(final String cluster, final String node) {
        return of(cluster).nodes.get(node);
    }

    @Override
    public void putNode(final String cluster, final NodeRecord record) {
        of(cluster).nodes.put(record.name(), record);
    }

    @Override
    public void removeNode(final String cluster, final String node) {
        of(cluster).nodes.remove(node);
    }

    @Override
    public List<NodeRecord> nodes(final String cluster) {
        return new ArrayList<>(of(cluster).nodes.values());
    }

    @Override
    public VipRecord vip(final String cluster, final String ip) {
        return of(cluster).vips.get(ip);
    }

    @Override
    public void putVip(final String cluster, final VipRecord record) {
        of(cluster).vips.put(record.ip(), record);
    }

    @Override
    public void removeVip(final String cluster, final String ip) {
        of(cluster).vips.remove(ip);
    }

    @Override
    public List<VipRecord> vips(final String cluster) {
        return new ArrayList<>(of(cluster).vips.values());
    }

    @Override
    public SourceRecord source(final String cluster, final String source) {
        return of(cluster).sources.get(source);
    }

    @Override
    public void putSource(final String cluster, final SourceRecord record) {
        of(cluster).sources.put(record.source(), record);
    }

    @Override
    public void removeSource(final String cluster, final String source) {
        of(cluster).sources.remove(source);
    }

    @Override
    public List<SourceRecord> sources(final String cluster) {
        return new ArrayList<>(of(cluster).sources.values());
    }

    @Override
    public void schedule(final String cluster, final Timer timer) {
        final Cluster c = of(cluster);
        if (c.timers.add(timer) && c.first != null && timer.compareTo(c.first) < 0) {
            c.first = timer;
        }
    }

    @Override
    public void unschedule(final String cluster, final Timer timer) {
        final Cluster c = of(cluster);
        if (c.timers.remove(timer) && c.first != null && timer.compareTo(c.first) == 0) {
            c.first = null;
        }
    }

    @Override
    public Timer firstDue(final String cluster, final long upTo) {
        final Cluster c = of(cluster);
        Timer first = c.first;
        if (first == null) {
            if (c.timers.isEmpty()) {
                return null;
            }
            first = c.timers.first();
            c.first = first;
        }
        return first.due() <= upTo ? first : null;
    }
}
