package io.vipwatch.store.internal;

import java.time.Instant;
import java.util.List;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

import io.vipwatch.store.History.AlertEpisode;

import io.vipwatch.store.internal.Rows.AlertRow;

/** Alert transitions and their episodes: tables {@code alert_transitions}, {@code alert_episodes}. */
@RegisterConstructorMapper(AlertEpisode.class)
public interface AlertDao {

    /** Resolve-time statistics of the episodes opened in a range. */
    record ResolveStats(long total, long resolved, Double p50Seconds, Double p95Seconds) {
    }

    String EPISODE_COLUMNS = """
            episode, fingerprint, cluster, vip, kind, severity, service, nodes, opened_at, resolved_at, last_state,
            last_at, hint, transitions
            """;

    /** Per row 1 if stored, 0 if a transition with the same event id and time was stored before. */
    @SqlBatch("""
            INSERT INTO alert_transitions (at, event_id, fingerprint, episode, state, kind, severity, cluster, vip,
                                           service, nodes, opened_at, hint, evidence)
            VALUES (:at, :eventId, :fingerprint, :episode, :state, :kind, :severity, :cluster, :vip,
                    :service, :nodes, :openedAt, :hint, CAST(:evidence AS jsonb))
            ON CONFLICT (event_id, at) DO NOTHING
            """)
    int[] insertTransitions(@BindMethods List<AlertRow> rows);

    /**
     * Folds transitions into their episodes. The latest transition sets state, severity, hint and
     * service; nodes accumulate; a RESOLVED transition sets resolved_at.
     */
    @SqlBatch("""
            INSERT INTO alert_episodes AS episode (episode, fingerprint, cluster, vip, kind, severity, service, nodes,
                                                   opened_at, resolved_at, last_state, last_at, hint, transitions)
            VALUES (:episode, :fingerprint, :cluster, :vip, :kind, :severity, :service, :nodes, :openedAt,
                    CASE WHEN :state = 'RESOLVED' THEN CAST(:at AS timestamptz) END, :state, :at, :hint, 1)
            ON CONFLICT (episode) DO UPDATE SET
                nodes = ARRAY(SELECT DISTINCT node FROM unnest(episode.nodes || excluded.nodes) AS node ORDER BY node),
                opened_at = LEAST(episode.opened_at, excluded.opened_at),
                resolved_at = COALESCE(excluded.resolved_at, episode.resolved_at),
                last_state = CASE WHEN excluded.last_at >= episode.last_at THEN excluded.last_state ELSE episode.last_state END,
                severity = CASE WHEN excluded.last_at >= episode.last_at THEN excluded.severity ELSE episode.severity END,
                service = CASE WHEN excluded.last_at >= episode.last_at THEN COALESCE(excluded.service, episode.service)
                               ELSE episode.service END,
                hint = CASE WHEN excluded.last_at >= episode.last_at THEN COALESCE(excluded.hint, episode.hint)
                            ELSE episode.hint END,
                last_at = GREATEST(episode.last_at, excluded.last_at),
                transitions = episode.transitions + 1
            """)
    void foldIntoEpisodes(@BindMethods List<AlertRow> rows);

    /** Open episodes, optionally of one cluster and one kind: served by the partial index alert_episodes_open. */
    @SqlQuery("SELECT " + EPISODE_COLUMNS + """
            FROM alert_episodes
            WHERE resolved_at IS NULL
              AND (CAST(:cluster AS text) IS NULL OR cluster = :cluster)
              AND (CAST(:kind AS text) IS NULL OR kind = :kind)
            ORDER BY severity, opened_at DESC
            LIMIT :limit
            """)
    List<AlertEpisode> open(@Bind("cluster") String cluster, @Bind("kind") String kind, @Bind("limit") int limit);

    /** Episodes of one VIP that overlap [from, to]. */
    @SqlQuery("SELECT " + EPISODE_COLUMNS + """
            FROM alert_episodes
            WHERE cluster = :cluster AND vip = :vip AND opened_at <= :to
              AND (resolved_at IS NULL OR resolved_at >= :from)
            ORDER BY opened_at
            LIMIT :limit
            """)
    List<AlertEpisode> ofVip(@Bind("cluster") String cluster, @Bind("vip") String vip, @Bind("from") Instant from,
            @Bind("to") Instant to, @Bind("limit") int limit);

    /** Episodes opened in [from, to), newest first. */
    @SqlQuery("SELECT " + EPISODE_COLUMNS + """
            FROM alert_episodes
            WHERE opened_at >= :from AND opened_at < :to
              AND (CAST(:cluster AS text) IS NULL OR cluster = :cluster)
              AND (CAST(:kind AS text) IS NULL OR kind = :kind)
            ORDER BY opened_at DESC
            LIMIT :limit
            """)
    List<AlertEpisode> openedBetween(@Bind("cluster") String cluster, @Bind("kind") String kind,
            @Bind("from") Instant from, @Bind("to") Instant to, @Bind("limit") int limit);

    @SqlQuery("""
            SELECT count(*) AS total,
                   count(resolved_at) AS resolved,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM resolved_at - opened_at))
                       FILTER (WHERE resolved_at IS NOT NULL) AS p50_seconds,
                   percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM resolved_at - opened_at))
                       FILTER (WHERE resolved_at IS NOT NULL) AS p95_seconds
            FROM alert_episodes
            WHERE opened_at >= :from AND opened_at < :to
              AND (CAST(:cluster AS text) IS NULL OR cluster = :cluster)
              AND (CAST(:kind AS text) IS NULL OR kind = :kind)
            """)
    @RegisterConstructorMapper(ResolveStats.class)
    ResolveStats resolveStats(@Bind("cluster") String cluster, @Bind("kind") String kind, @Bind("from") Instant from,
            @Bind("to") Instant to);
}
