package io.vipwatch.store.internal;

import java.time.Instant;
import java.util.List;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Monthly partitions of the time-series tables, through the SECURITY DEFINER functions of migration V2. */
public interface PartitionDao {

    /** Creates the partition of {@code table} that holds {@code monthOf} unless it exists; returns its name. */
    @SqlQuery("SELECT vipwatch_ensure_partition(:table, :monthOf)")
    String ensure(@Bind("table") String table, @Bind("monthOf") Instant monthOf);

    /** Drops the partitions of {@code table} wholly before {@code cutoff}; returns their names. */
    @SqlQuery("SELECT vipwatch_drop_partitions_before(:table, :cutoff)")
    List<String> dropBefore(@Bind("table") String table, @Bind("cutoff") Instant cutoff);

    /** Retention for episodes (a plain table): drops those resolved before {@code cutoff}. */
    @SqlUpdate("DELETE FROM alert_episodes WHERE resolved_at < :cutoff")
    int deleteResolvedEpisodesBefore(@Bind("cutoff") Instant cutoff);
}
