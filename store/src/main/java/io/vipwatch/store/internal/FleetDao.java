package io.vipwatch.store.internal;

import java.util.List;

import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlBatch;

import io.vipwatch.store.internal.Rows.ClusterSeen;
import io.vipwatch.store.internal.Rows.DeadLetter;
import io.vipwatch.store.internal.Rows.HeartbeatRow;

/** Clusters, heartbeats and dead letters: the small tables the sink keeps beside the history. */
public interface FleetDao {

    @SqlBatch("""
            INSERT INTO clusters AS known (cluster, first_seen, last_seen)
            VALUES (:cluster, :firstSeen, :lastSeen)
            ON CONFLICT (cluster) DO UPDATE SET
                first_seen = LEAST(known.first_seen, excluded.first_seen),
                last_seen = GREATEST(known.last_seen, excluded.last_seen)
            """)
    void sawClusters(@BindMethods List<ClusterSeen> clusters);

    @SqlBatch("""
            INSERT INTO last_heartbeats AS last (cluster, source, node, at, interval_ms)
            VALUES (:cluster, :source, :node, :at, :intervalMs)
            ON CONFLICT (cluster, source) DO UPDATE SET
                node = excluded.node, at = excluded.at, interval_ms = excluded.interval_ms
                WHERE excluded.at >= last.at
            """)
    void heartbeats(@BindMethods List<HeartbeatRow> heartbeats);

    @SqlBatch("""
            INSERT INTO dead_letters (topic, partition, kafka_offset, record_key, reason, detail)
            VALUES (:topic, :partition, :kafkaOffset, :recordKey, :reason, :detail)
            ON CONFLICT DO NOTHING
            """)
    void deadLetters(@BindMethods List<DeadLetter> deadLetters);
}
