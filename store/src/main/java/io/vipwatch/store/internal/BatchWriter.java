package io.vipwatch.store.internal;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import io.vipwatch.store.internal.Rows.AlertRow;
import io.vipwatch.store.internal.Rows.ClusterSeen;
import io.vipwatch.store.internal.Rows.InputEventRow;
import io.vipwatch.store.internal.Rows.OffsetRange;
import io.vipwatch.store.internal.Rows.OwnershipChangeRow;
import io.vipwatch.store.internal.Rows.VipStateDeletion;
import io.vipwatch.store.internal.Rows.VipStateRow;

/**
 * Writes a {@link Batch} and the offsets it covers in one PostgreSQL transaction: either all of it is
 * stored or none. Ownership changes and raw input events go in with COPY, the rest with JDBC batches.
 * Holds one connection, opened on first use and dropped after a failure. Not thread-safe.
 */
public final class BatchWriter implements AutoCloseable {

    static final String OWNERSHIP_COPY = """
            COPY ownership_changes (at, cluster, ip, event_id, before_nodes, after_nodes, service,
                                    cause_type, cause_key, cause_event_id, cause_source, cause_observed_at)
            FROM STDIN (FORMAT binary)""";
    static final String INPUT_EVENTS_COPY = """
            COPY input_events (observed_at, topic, partition, kafka_offset, type, cluster, record_key, event_id,
                               source, recording)
            FROM STDIN (FORMAT binary)""";
    private static final List<String> PARTITIONED = List.of("ownership_changes", "alert_transitions", "input_events");

    private final Jdbi jdbi;
    private final String group;
    // table/month start of every partition known to exist
    private final Set<String> knownPartitions = new HashSet<>();
    // cluster -> first and last time as stored by this writer's committed transactions
    private final Map<String, ClusterSeen> storedClusters = new HashMap<>();
    private Handle handle;

    public BatchWriter(final Jdbi jdbi, final String group) {
        this.jdbi = jdbi;
        this.group = group;
    }

    /** Thrown when another sink of the group already stored records of this batch: the batch is dropped. */
    public static final class FencedException extends RuntimeException {
        FencedException(final String message) {
            super(message);
        }
    }

    /**
     * Stores the batch and its offsets in one transaction.
     *
     * @throws FencedException when the stored offsets are ahead of the batch (nothing was written)
     * @throws org.jdbi.v3.core.JdbiException or {@link IllegalStateException} when PostgreSQL fails (nothing was written)
     */
    void write(final Batch batch) {
        final Handle handle = handle();
        try {
            ensurePartitions(handle, batch);
            handle.begin();
            final List<OffsetRange> ranges = batch.offsetRanges();
            final int[] advanced = handle.attach(OffsetDao.class).advance(group, ranges);
            for (int i = 0; i < ranges.size(); i++) {
                if (advanced[i] != 1) {
                    final OffsetRange range = ranges.get(i);
                    throw new FencedException(range.topic() + "/" + range.partition() + " is stored beyond offset "
                            + range.firstOffset() + " by another sink of group " + group);
                }
            }
            copyOwnershipChanges(handle, batch.ownershipChanges);
            copyInputEvents(handle, batch.inputEvents);
            writeAlerts(handle, batch.alerts);
            writeVipStates(handle, batch);
            final FleetDao fleet = handle.attach(FleetDao.class);
            if (!batch.heartbeats.isEmpty()) {
                fleet.heartbeats(new ArrayList<>(batch.heartbeats.values()));
            }
            final List<ClusterSeen> clusters = clustersToStore(batch);
            if (!clusters.isEmpty()) {
                fleet.sawClusters(clusters);
            }
            if (!batch.deadLetters.isEmpty()) {
                fleet.deadLetters(batch.deadLetters);
            }
            handle.commit();
            clusters.forEach(seen -> storedClusters.merge(seen.cluster(), seen, BatchWriter::widen));
        } catch (final RuntimeException e) {
            rollbackQuietly();
            throw e;
        }
    }

    /**
     * The clusters whose stored first/last-seen times the batch moves: a new cluster, an earlier first
     * event, or a later last event. last_seen is stored truncated to the minute, so a busy fleet does not
     * rewrite one row per cluster in every transaction, and the stored value does not depend on how the
     * records fell into batches.
     */
    private List<ClusterSeen> clustersToStore(final Batch batch) {
        final List<ClusterSeen> changed = new ArrayList<>();
        for (final Batch.Seen seen : batch.clusters.values()) {
            // the last time truncated to the minute, compared with the stored one (minutes too) before allocating
            final long lastMinute = Math.floorDiv(seen.last.getEpochSecond(), 60) * 60;
            final ClusterSeen stored = storedClusters.get(seen.cluster);
            if (stored == null || seen.first.isBefore(stored.firstSeen())
                    || lastMinute > stored.lastSeen().getEpochSecond()) {
                changed.add(new ClusterSeen(seen.cluster, seen.first, Instant.ofEpochSecond(lastMinute)));
            }
        }
        return changed;
    }

    private static ClusterSeen widen(final ClusterSeen old, final ClusterSeen seen) {
        return new ClusterSeen(old.cluster(), old.firstSeen().isBefore(seen.firstSeen()) ? old.firstSeen() : seen.firstSeen(),
                old.lastSeen().isAfter(seen.lastSeen()) ? old.lastSeen() : seen.lastSeen());
    }

    /** Runs {@code work} on the writer's connection outside any batch (offset loading, retention). */
    <T> T withHandle(final Function<Handle, T> work) {
        try {
            return work.apply(handle());
        } catch (final RuntimeException e) {
            rollbackQuietly();
            throw e;
        }
    }

    private Handle handle() {
        if (handle == null) {
            handle = jdbi.open();
        }
        return handle;
    }

    private void ensurePartitions(final Handle handle, final Batch batch) {
        for (final String table : PARTITIONED) {
            for (final Instant month : batch.monthsOf(table)) {
                final String key = table + "/" + month;
                if (!knownPartitions.contains(key)) {
                    handle.attach(PartitionDao.class).ensure(table, month);
                    knownPartitions.add(key);
                }
            }
        }
    }

    /** Creates the partitions of the current and the next {@code monthsAhead} months (the sink's maintenance). */
    void ensurePartitionsAhead(final Instant now, final int monthsAhead) {
        withHandle(handle -> {
            Instant month = Months.start(now);
            for (int i = 0; i <= monthsAhead; i++) {
                for (final String table : PARTITIONED) {
                    final String key = table + "/" + month;
                    if (!knownPartitions.contains(key)) {
                        handle.attach(PartitionDao.class).ensure(table, month);
                        knownPartitions.add(key);
                    }
                }
                month = Months.next(month);
            }
            return null;
        });
    }

    /** Drops whole partitions older than {@code cutoff} and episodes resolved before it; returns the partitions. */
    List<String> dropBefore(final Instant cutoff) {
        return withHandle(handle -> {
            final PartitionDao partitions = handle.attach(PartitionDao.class);
            final List<String> dropped = new ArrayList<>();
            for (final String table : PARTITIONED) {
                dropped.addAll(partitions.dropBefore(table, cutoff));
            }
            partitions.deleteResolvedEpisodesBefore(cutoff);
            knownPartitions.removeIf(key -> Instant.parse(key.substring(key.indexOf('/') + 1)).isBefore(cutoff));
            return dropped;
        });
    }

    /** COPY of ownership-change rows on {@code handle}: what the sink does, open for the benchmark's baseline. */
    public static void copyOwnershipChanges(final Handle handle, final List<OwnershipChangeRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        copy(handle, OWNERSHIP_COPY, out -> {
            for (final OwnershipChangeRow row : rows) {
                out.row(12).timestamp(row.at()).text(row.cluster()).text(row.ip()).text(row.eventId())
                        .textArray(row.beforeNodes()).textArray(row.afterNodes()).text(row.service())
                        .text(row.causeType()).text(row.causeKey()).text(row.causeEventId()).text(row.causeSource())
                        .timestamp(row.causeObservedAt());
            }
        });
    }

    static void copyInputEvents(final Handle handle, final List<InputEventRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        copy(handle, INPUT_EVENTS_COPY, out -> {
            for (final InputEventRow row : rows) {
                out.row(10).timestamp(row.observedAt()).text(row.topic()).int4(row.partition())
                        .int8(row.kafkaOffset()).text(row.type()).text(row.cluster()).text(row.recordKey())
                        .text(row.eventId()).text(row.source()).jsonb(row.recording());
            }
        });
    }

    /**
     * Streams the rows {@code writeRows} writes into a binary COPY on {@code handle}'s connection: PostgreSQL reads
     * each 64 KiB chunk while the next is written. A failure cancels the COPY (the transaction then rolls back).
     */
    static void copy(final Handle handle, final String sql, final Consumer<CopyBinary> writeRows) {
        CopyIn copyIn = null;
        try {
            copyIn = handle.getConnection().unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
            final CopyBinary out = new CopyBinary(copyIn::writeToCopy);
            writeRows.accept(out);
            out.finish();
            copyIn.endCopy();
        } catch (final SQLException e) {
            throw new IllegalStateException("COPY failed: " + e.getMessage(), e);
        } finally {
            if (copyIn != null && copyIn.isActive()) {
                try {
                    copyIn.cancelCopy();
                } catch (final SQLException ignored) {
                    // the connection is broken: the transaction rolls back with it
                }
            }
        }
    }

    private static void writeAlerts(final Handle handle, final List<AlertRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        final AlertDao alerts = handle.attach(AlertDao.class);
        final int[] stored = alerts.insertTransitions(rows);
        final List<AlertRow> fresh = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            if (stored[i] > 0) {
                fresh.add(rows.get(i));
            }
        }
        if (!fresh.isEmpty()) {
            alerts.foldIntoEpisodes(fresh);
        }
    }

    private static void writeVipStates(final Handle handle, final Batch batch) {
        if (batch.vipStates.isEmpty()) {
            return;
        }
        final List<VipStateRow> upserts = new ArrayList<>();
        final List<VipStateDeletion> deletions = new ArrayList<>();
        for (final Object state : batch.vipStates.values()) {
            if (state instanceof VipStateRow row) {
                upserts.add(row);
            } else {
                deletions.add((VipStateDeletion) state);
            }
        }
        final VipStateDao dao = handle.attach(VipStateDao.class);
        if (!deletions.isEmpty()) {
            dao.delete(deletions);
        }
        if (!upserts.isEmpty()) {
            dao.upsert(upserts);
        }
    }

    private void rollbackQuietly() {
        // a partition may have gone (retention by another sink): check again on the next attempt
        knownPartitions.clear();
        storedClusters.clear();
        if (handle == null) {
            return;
        }
        try {
            if (handle.isInTransaction()) {
                handle.rollback();
            }
        } catch (final RuntimeException ignored) {
            // the connection is broken; it is closed below and reopened on the next attempt
        }
        closeHandle();
    }

    private void closeHandle() {
        try {
            handle.close();
        } catch (final RuntimeException ignored) {
            // closing a broken connection
        }
        handle = null;
    }

    @Override
    public void close() {
        if (handle != null) {
            closeHandle();
        }
    }
}
