package io.vipwatch.schemas;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.utils.Utils;

/**
 * Every publisher puts a cluster's input events on the same partition index of every input topic
 * (murmur2 of the cluster id, as Kafka's default partitioner does for keys). The streams topology's upstream
 * task for that cluster then merges them in event-time order, so live detection equals {@code vipwatch analyze}.
 * Keys stay as docs/architecture.md (section 3) says ({@code cluster/namespace/name}, {@code cluster/node}, ...); only the partition is
 * chosen explicitly.
 */
public final class ClusterPartitioning {

    private ClusterPartitioning() {
    }

    /** The partition of {@code cluster} on a topic with {@code partitions} partitions. */
    public static int partitionOf(final String cluster, final int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("a topic has at least one partition, got " + partitions);
        }
        return Utils.toPositive(Utils.murmur2(cluster.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}
