package io.vipwatch.store.internal;

import java.util.Collection;
import java.util.List;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlBatch;

import io.vipwatch.store.internal.Rows.OffsetRange;

/** The sink's Kafka position, table {@code kafka_offsets}. */
public interface OffsetDao {

    /** A stored position: the next offset to read from a partition. */
    record StoredOffset(String topic, int partition, long nextOffset) {
    }

    @SqlQuery("""
            SELECT topic, partition, next_offset
            FROM kafka_offsets
            WHERE consumer_group = :group
            """)
    @RegisterConstructorMapper(StoredOffset.class)
    List<StoredOffset> load(@Bind("group") String group);

    /**
     * Moves the stored position of every partition past a batch, in one round trip (a JDBC batch; each row is
     * checked on its own, against the stored row as locked). Returns 1 per partition, or 0 where the stored
     * position is already beyond the batch's first offset: another sink of the group stored these records (this
     * one is a zombie after a rebalance) and the transaction must roll back.
     */
    @SqlBatch("""
            INSERT INTO kafka_offsets AS stored (consumer_group, topic, partition, next_offset, updated_at)
            VALUES (:group, :topic, :partition, :nextOffset, now())
            ON CONFLICT (consumer_group, topic, partition) DO UPDATE
                SET next_offset = excluded.next_offset, updated_at = excluded.updated_at
                WHERE stored.next_offset <= :firstOffset
            """)
    int[] advance(@Bind("group") String group, @BindMethods Collection<OffsetRange> ranges);
}
