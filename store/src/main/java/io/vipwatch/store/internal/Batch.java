package io.vipwatch.store.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;

import io.vipwatch.store.internal.Rows.AlertRow;
import io.vipwatch.store.internal.Rows.DeadLetter;
import io.vipwatch.store.internal.Rows.HeartbeatRow;
import io.vipwatch.store.internal.Rows.InputEventRow;
import io.vipwatch.store.internal.Rows.OffsetRange;
import io.vipwatch.store.internal.Rows.OwnershipChangeRow;
import io.vipwatch.store.internal.Rows.VipStateDeletion;
import io.vipwatch.store.internal.Rows.VipStateRow;

/**
 * The rows of one poll, in record order, and the offsets they cover: written to PostgreSQL in one
 * transaction together with those offsets. Not thread-safe; owned by the sink thread.
 */
final class Batch {

    final List<OwnershipChangeRow> ownershipChanges = new ArrayList<>();
    final List<AlertRow> alerts = new ArrayList<>();
    final List<InputEventRow> inputEvents = new ArrayList<>();
    final List<DeadLetter> deadLetters = new ArrayList<>();
    // cluster/ip -> the last state (a VipStateRow) or tombstone (a VipStateDeletion) of the batch
    final Map<String, Object> vipStates = new LinkedHashMap<>();
    // cluster/source -> the latest heartbeat of the batch
    final Map<String, HeartbeatRow> heartbeats = new LinkedHashMap<>();
    // cluster -> first and last event time seen in the batch
    final Map<String, Seen> clusters = new LinkedHashMap<>();
    // the offsets covered, one range per topic/partition in the order first seen
    private final List<Covered> covered = new ArrayList<>(4);
    private Covered lastCovered; // a poll hands out its records partition by partition
    private int records;

    /** The offsets of one partition that the batch covers so far. */
    private static final class Covered {
        final String topic;
        final int partition;
        long first;
        long next;

        Covered(final String topic, final int partition, final long offset) {
            this.topic = topic;
            this.partition = partition;
            this.first = offset;
            this.next = offset + 1;
        }

        boolean is(final String otherTopic, final int otherPartition) {
            return partition == otherPartition && topic.equals(otherTopic);
        }
    }

    void covered(final String topic, final int partition, final long offset) {
        records++;
        Covered range = lastCovered;
        if (range == null || !range.is(topic, partition)) {
            range = null;
            for (final Covered known : covered) {
                if (known.is(topic, partition)) {
                    range = known;
                    break;
                }
            }
            if (range == null) {
                range = new Covered(topic, partition, offset);
                covered.add(range);
            }
            lastCovered = range;
        }
        range.first = Math.min(range.first, offset);
        range.next = Math.max(range.next, offset + 1);
    }

    void sawCluster(final String cluster, final Instant at) {
        final Seen seen = clusters.get(cluster);
        if (seen == null) {
            clusters.put(cluster, new Seen(cluster, at));
        } else {
            seen.saw(at);
        }
    }

    /** A cluster's first and last event time in the batch; moved in place, not allocated per record. */
    static final class Seen {
        final String cluster;
        Instant first;
        Instant last;

        Seen(final String cluster, final Instant at) {
            this.cluster = cluster;
            this.first = at;
            this.last = at;
        }

        void saw(final Instant at) {
            if (at.isBefore(first)) {
                first = at;
            } else if (at.isAfter(last)) {
                last = at;
            }
        }
    }

    void vipState(final VipStateRow row) {
        final String key = row.cluster() + "/" + row.ip();
        vipStates.remove(key);
        vipStates.put(key, row);
    }

    void vipStateDeleted(final VipStateDeletion deletion) {
        final String key = deletion.cluster() + "/" + deletion.ip();
        vipStates.remove(key);
        vipStates.put(key, deletion);
    }

    void heartbeat(final HeartbeatRow row) {
        heartbeats.merge(row.cluster() + "/" + row.source(), row,
                (old, next) -> next.at().isBefore(old.at()) ? old : next);
    }

    /** The number of Kafka records the batch covers (stored or dead-lettered). */
    int records() {
        return records;
    }

    boolean isEmpty() {
        return records == 0;
    }

    List<OffsetRange> offsetRanges() {
        final List<OffsetRange> ranges = new ArrayList<>(covered.size());
        for (final Covered range : covered) {
            ranges.add(new OffsetRange(range.topic, range.partition, range.first, range.next));
        }
        return ranges;
    }

    /** The first instants of the UTC months that rows of {@code table} fall in. */
    TreeSet<Instant> monthsOf(final String table) {
        final TreeSet<Instant> months = new TreeSet<>();
        // rows come mostly in time order: the calendar arithmetic only when a row leaves the month of the last one
        final Instant[] month = new Instant[2]; // start, next
        final Consumer<Instant> add = at -> {
            if (month[0] == null || at.isBefore(month[0]) || !at.isBefore(month[1])) {
                month[0] = Months.start(at);
                month[1] = Months.next(month[0]);
                months.add(month[0]);
            }
        };
        switch (table) {
            case "ownership_changes" -> ownershipChanges.forEach(row -> add.accept(row.at()));
            case "alert_transitions" -> alerts.forEach(row -> add.accept(row.at()));
            case "input_events" -> inputEvents.forEach(row -> add.accept(row.observedAt()));
            default -> throw new IllegalArgumentException("not a partitioned table: " + table);
        }
        return months;
    }
}
