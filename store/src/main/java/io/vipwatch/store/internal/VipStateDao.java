package io.vipwatch.store.internal;

import java.util.List;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

import io.vipwatch.store.History.Vip;

import io.vipwatch.store.internal.Rows.VipStateDeletion;
import io.vipwatch.store.internal.Rows.VipStateRow;

/** The latest state of each VIP, table {@code vip_states}. */
public interface VipStateDao {

    @SqlBatch("""
            INSERT INTO vip_states (cluster, ip, updated_at, responders, open_conditions, flap_penalty, claims,
                                    announcements, bindings)
            VALUES (:cluster, :ip, :updatedAt, :responders, :openConditions, :flapPenalty, CAST(:claims AS jsonb),
                    CAST(:announcements AS jsonb), CAST(:bindings AS jsonb))
            ON CONFLICT (cluster, ip) DO UPDATE SET
                updated_at = excluded.updated_at, responders = excluded.responders,
                open_conditions = excluded.open_conditions, flap_penalty = excluded.flap_penalty,
                claims = excluded.claims, announcements = excluded.announcements, bindings = excluded.bindings
            """)
    void upsert(@BindMethods List<VipStateRow> rows);

    @SqlBatch("DELETE FROM vip_states WHERE cluster = :cluster AND ip = :ip")
    void delete(@BindMethods List<VipStateDeletion> deletions);

    /** The VIPs of a cluster, those with open conditions first. */
    @SqlQuery("""
            SELECT cluster, ip, updated_at, responders, open_conditions, flap_penalty
            FROM vip_states
            WHERE cluster = :cluster
            ORDER BY cardinality(open_conditions) DESC, ip
            LIMIT :limit
            """)
    @RegisterConstructorMapper(Vip.class)
    List<Vip> ofCluster(@Bind("cluster") String cluster, @Bind("limit") int limit);
}
