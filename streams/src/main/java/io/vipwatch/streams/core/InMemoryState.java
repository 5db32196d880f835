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
    private final Table<ServiceRecord> services = new Table<>(Kind.SERVICE);
    private final Table<NodeRecord> nodes = new Table<>(Kind.NODE);
    private final Table<VipRecord> vips = new Table<>(Kind.VIP);
    private final Table<SourceRecord> sources = new Table<>(Kind.SOURCE);
    private final TimerIndex timers = new TimerIndex();

    private enum Kind { SERVICE, NODE, VIP, SOURCE }

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

    /** One kind of record, in its map of each cluster (a switch over the kind: no lambda on the hot path). */
    private final class Table<R> implements Records<R> {

        private final Kind kind;

        Table(final Kind kind) {
            this.kind = kind;
        }

        @SuppressWarnings("unchecked")
        private Map<String, R> of(final String cluster) {
            final Cluster c = InMemoryState.this.of(cluster);
            return (Map<String, R>) switch (kind) {
                case SERVICE -> c.services;
                case NODE -> c.nodes;
                case VIP -> c.vips;
                case SOURCE -> c.sources;
            };
        }

        @Override
        public R get(final String cluster, final String id) {
            return of(cluster).get(id);
        }

        @Override
        public void put(final String cluster, final R record) {
            of(cluster).put(id(record), record);
        }

        @Override
        public void remove(final String cluster, final String id) {
            of(cluster).remove(id);
        }

        @Override
        public List<R> all(final String cluster) {
            return new ArrayList<>(of(cluster).values());
        }

        @Override
        public String id(final R record) {
            return switch (kind) {
                case SERVICE -> ((ServiceRecord) record).name();
                case NODE -> ((NodeRecord) record).name();
                case VIP -> ((VipRecord) record).ip();
                case SOURCE -> ((SourceRecord) record).source();
            };
        }
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
        return timers;
    }

    private final class TimerIndex implements Timers {

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
}
