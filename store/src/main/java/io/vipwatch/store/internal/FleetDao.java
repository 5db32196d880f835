package io.vipwatch.store.internal;

import java.time.Instant;
import java.util.List;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

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

    /** A cluster's counts for the fleet summary. */
    record ClusterCounts(String cluster, Instant lastSeen, int openCritical, int openWarning, int flappingVips,
            int vips, int agents, Instant oldestAgentHeartbeat) {
    }

    /** A heartbeat with its cluster. */
    record SourceHeartbeat(String cluster, String source, String node, Instant at, long intervalMs) {
    }

    @SqlQuery("SELECT EXISTS (SELECT 1 FROM clusters WHERE cluster = :cluster)")
    boolean clusterExists(@Bind("cluster") String cluster);

    @SqlQuery("SELECT cluster FROM clusters ORDER BY cluster")
    List<String> clusters();

    @SqlQuery("""
            SELECT known.cluster, known.last_seen,
                   coalesce(open.critical, 0) AS open_critical, coalesce(open.warning, 0) AS open_warning,
                   coalesce(open.flapping, 0) AS flapping_vips, coalesce(vip.vips, 0) AS vips,
                   coalesce(agent.agents, 0) AS agents, agent.oldest AS oldest_agent_heartbeat
            FROM clusters AS known
            LEFT JOIN (
                SELECT cluster,
                       count(*) FILTER (WHERE severity = 'CRITICAL') AS critical,
                       count(*) FILTER (WHERE severity = 'WARNING') AS warning,
                       count(DISTINCT vip) FILTER (WHERE kind = 'FLAPPING') AS flapping
                FROM alert_episodes
                WHERE resolved_at IS NULL
                GROUP BY cluster
            ) AS open ON open.cluster = known.cluster
            LEFT JOIN (SELECT cluster, count(*) AS vips FROM vip_states GROUP BY cluster) AS vip
                ON vip.cluster = known.cluster
            LEFT JOIN (
                SELECT cluster, count(*) AS agents, min(at) AS oldest
                FROM last_heartbeats
                WHERE node IS NOT NULL
                GROUP BY cluster
            ) AS agent ON agent.cluster = known.cluster
            WHERE CAST(:cluster AS text) IS NULL OR known.cluster = :cluster
            ORDER BY open_critical DESC, open_warning DESC, known.cluster
            """)
    @RegisterConstructorMapper(ClusterCounts.class)
    List<ClusterCounts> clusterCounts(@Bind("cluster") String cluster);

    /** Heartbeats of collectors, or (allSources) of every source; optionally of one cluster. */
    @SqlQuery("""
            SELECT cluster, source, node, at, interval_ms
            FROM last_heartbeats
            WHERE (CAST(:cluster AS text) IS NULL OR cluster = :cluster) AND (:allSources OR node IS NULL)
            ORDER BY cluster, source
            """)
    @RegisterConstructorMapper(SourceHeartbeat.class)
    List<SourceHeartbeat> heartbeats(@Bind("cluster") String cluster, @Bind("allSources") boolean allSources);
}
