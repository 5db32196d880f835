package io.vipwatch.store.internal;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

import io.vipwatch.store.History.Activity;
import io.vipwatch.store.History.Change;
import io.vipwatch.store.History.FlapCount;

/**
 * Reads of {@code ownership_changes} (and {@code ownership_baseline}, the last change of VIPs whose
 * partitions retention dropped). The sink writes the table with COPY ({@link BatchWriter}).
 */
@RegisterConstructorMapper(Change.class)
public interface OwnershipDao {

    /** The last change at or before {@code at}: served by index (cluster, ip, at DESC), newest partition first. */
    @SqlQuery("""
            SELECT at, before_nodes, after_nodes, service, event_id, cause_type, cause_key, cause_source
            FROM (
                (SELECT at, before_nodes, after_nodes, service, event_id, cause_type, cause_key, cause_source
                 FROM ownership_changes
                 WHERE cluster = :cluster AND ip = :ip AND at <= :at
                 ORDER BY at DESC
                 LIMIT 1)
                UNION ALL
                (SELECT at, before_nodes, after_nodes, service, event_id, cause_type, cause_key, cause_source
                 FROM ownership_baseline
                 WHERE cluster = :cluster AND ip = :ip AND at <= :at)
            ) AS candidates
            ORDER BY at DESC
            LIMIT 1
            """)
    Optional<Change> lastChangeAtOrBefore(@Bind("cluster") String cluster, @Bind("ip") String ip,
            @Bind("at") Instant at);

    /**
     * In one round trip: the last change at or before {@code from} (the state at the start, if any), then
     * the changes after {@code from} up to and including {@code to}, oldest first.
     */
    @SqlQuery("""
            (SELECT at, before_nodes, after_nodes, service, event_id, cause_type, cause_key, cause_source
             FROM ownership_changes
             WHERE cluster = :cluster AND ip = :ip AND at <= :from
             ORDER BY at DESC
             LIMIT 1)
            UNION ALL
            (SELECT at, before_nodes, after_nodes, service, event_id, cause_type, cause_key, cause_source
             FROM ownership_changes
             WHERE cluster = :cluster AND ip = :ip AND at > :from AND at <= :to
             ORDER BY at
             LIMIT :limit)
            """)
    List<Change> stateAtAndChangesBetween(@Bind("cluster") String cluster, @Bind("ip") String ip,
            @Bind("from") Instant from, @Bind("to") Instant to, @Bind("limit") int limit);

    /**
     * VIPs with the most changes in [from, to), in one cluster or (cluster null) fleet-wide, with the
     * number of FLAPPING episodes that overlap the range.
     */
    @SqlQuery("""
            SELECT counted.cluster, counted.ip, counted.changes, counted.first_change, counted.last_change,
                   (SELECT count(*)
                    FROM alert_episodes AS episode
                    WHERE episode.cluster = counted.cluster AND episode.vip = counted.ip
                      AND episode.kind = 'FLAPPING' AND episode.opened_at < :to
                      AND (episode.resolved_at IS NULL OR episode.resolved_at >= :from)) AS flap_episodes
            FROM (
                SELECT cluster, ip, count(*) AS changes, min(at) AS first_change, max(at) AS last_change
                FROM ownership_changes
                WHERE at >= :from AND at < :to AND (CAST(:cluster AS text) IS NULL OR cluster = :cluster)
                GROUP BY cluster, ip
                ORDER BY changes DESC, cluster, ip
                LIMIT :limit
            ) AS counted
            ORDER BY counted.changes DESC, counted.cluster, counted.ip
            """)
    @RegisterConstructorMapper(FlapCount.class)
    List<FlapCount> topFlaps(@Bind("cluster") String cluster, @Bind("from") Instant from, @Bind("to") Instant to,
            @Bind("limit") int limit);

    /** First and last time of the VIP's latest {@code lastChanges} changes at or before {@code before}. */
    @SqlQuery("""
            SELECT min(at) AS first_change, max(at) AS last_change, count(*) AS changes
            FROM (
                SELECT at
                FROM ownership_changes
                WHERE cluster = :cluster AND ip = :ip AND at <= :before
                ORDER BY at DESC
                LIMIT :lastChanges
            ) AS recent
            """)
    @RegisterConstructorMapper(Activity.class)
    Activity recentActivity(@Bind("cluster") String cluster, @Bind("ip") String ip, @Bind("before") Instant before,
            @Bind("lastChanges") int lastChanges);
}
