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

    ServiceRecord service(String cluster, String service);

    void putService(String cluster, ServiceRecord record);

    void removeService(String cluster, String service);

    NodeRecord node(String cluster, String node);

    void putNode(String cluster, NodeRecord record);

    void removeNode(String cluster, String node);

    /** Every node of a cluster (a snapshot: safe to modify the state while iterating). */
    List<NodeRecord> nodes(String cluster);

    VipRecord vip(String cluster, String ip);

    void putVip(String cluster, VipRecord record);

    void removeVip(String cluster, String ip);

    /** Every VIP of a cluster (a snapshot). */
    List<VipRecord> vips(String cluster);

    SourceRecord source(String cluster, String source);

    void putSource(String cluster, SourceRecord record);

    void removeSource(String cluster, String source);

    /** Every heartbeat source of a cluster (a snapshot). */
    List<SourceRecord> sources(String cluster);

    void schedule(String cluster, Timer timer);

    void unschedule(String cluster, Timer timer);

    /** The earliest timer of the cluster due at or before {@code upTo}, or null. */
    Timer firstDue(String cluster, long upTo);
}
