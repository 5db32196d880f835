package io.vipwatch.streams.core;

import java.util.List;

import io.vipwatch.streams.core.state.ClusterRecord;
import io.vipwatch.streams.core.state.NodeRecord;
import io.vipwatch.streams.core.state.ServiceRecord;
import io.vipwatch.streams.core.state.SourceRecord;
import io.vipwatch.streams.core.state.Timer;
import io.vipwatch.streams.core.state.VipRecord;

/**
 * Where the core keeps its state, partitioned by cluster. Getters return null for unknown entities. A
 * mutated record is only kept once it is handed back with {@code put}: the topology's implementation
 * stores copies in Kafka Streams key-value stores, analyze's keeps the objects.
 */
public interface DetectionState {

    ClusterRecord cluster(String cluster);

    void putCluster(ClusterRecord record);

    /** Every cluster with state (for the wall-clock punctuator). */
    List<String> clusters();

    /** Services by namespace/name. */
    Records<ServiceRecord> services();

    /** Nodes by name. */
    Records<NodeRecord> nodes();

    /** VIPs by IP. */
    Records<VipRecord> vips();

    /** Heartbeat sources by name. */
    Records<SourceRecord> sources();

    /** The pending wake-ups of VIPs and sources. */
    Timers timers();

    /** The records of one kind, by cluster and id (a Service's name, a node's, a VIP's IP, a source's name). */
    interface Records<R> {

        /** The record, or null. */
        R get(String cluster, String id);

        /** Keeps the record (new or mutated) under {@link #id its id}. */
        void put(String cluster, R record);

        void remove(String cluster, String id);

        /** Every record of a cluster (a snapshot: safe to modify the state while iterating). */
        List<R> all(String cluster);

        /** The id a record is kept under. */
        String id(R record);
    }

    /** The pending wake-ups of each cluster: every one is also the {@code wakeAt} of its VIP or source record. */
    interface Timers {

        void schedule(String cluster, Timer timer);

        void unschedule(String cluster, Timer timer);

        /** The earliest timer of the cluster due at or before {@code upTo}, or null. */
        Timer firstDue(String cluster, long upTo);
    }
}
