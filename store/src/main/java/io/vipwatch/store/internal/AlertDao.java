package io.vipwatch.store.internal;

import java.util.List;

import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlBatch;

import io.vipwatch.store.internal.Rows.AlertRow;

/** Writes alert transitions and keeps their episodes current: tables {@code alert_transitions}, {@code alert_episodes}. */
public interface AlertDao {

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
}
