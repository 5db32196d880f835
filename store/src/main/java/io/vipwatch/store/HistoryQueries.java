package io.vipwatch.store;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import org.jdbi.v3.core.Jdbi;

import io.vipwatch.schemas.Ips;
import io.vipwatch.schemas.avro.AlertKind;
import io.vipwatch.store.History.AlertEpisode;
import io.vipwatch.store.History.Change;
import io.vipwatch.store.History.ClusterSummary;
import io.vipwatch.store.History.Episodes;
import io.vipwatch.store.History.FlapCount;
import io.vipwatch.store.History.Heartbeat;
import io.vipwatch.store.History.Ownership;
import io.vipwatch.store.History.Timeline;
import io.vipwatch.store.History.Vip;
import io.vipwatch.store.internal.AlertDao;
import io.vipwatch.store.internal.FleetDao;
import io.vipwatch.store.internal.Jdbis;
import io.vipwatch.store.internal.Lanes;
import io.vipwatch.store.internal.OwnershipDao;
import io.vipwatch.store.internal.VipStateDao;

/**
 * The questions the history answers (docs/history.md), straight from PostgreSQL. Needs only SELECT
 * (the reader role). Every argument is checked first: a bad IP, a bad time range or an unknown cluster
 * throws {@link InvalidQueryException} naming the parameter. Thread-safe.
 */
public final class HistoryQueries {

    /** The longest range a timeline, top-flaps or episodes query may span. */
    public static final Duration MAX_RANGE = Duration.ofDays(400);
    /** At most this many changes are returned by one timeline. */
    public static final int MAX_TIMELINE_CHANGES = 5000;
    public static final int MAX_LIMIT = 1000;
    private static final Set<String> KINDS = Set.of(Arrays.stream(AlertKind.values()).map(Enum::name)
            .toArray(String[]::new));

    // clusters are never forgotten, so a known one stays known: cluster -> when it was last confirmed (nanoTime)
    private static final long KNOWN_CLUSTER_TTL_NANOS = Duration.ofMinutes(5).toNanos();

    private final Jdbi jdbi;
    private final ConcurrentHashMap<String, Long> knownClusters = new ConcurrentHashMap<>();

    private HistoryQueries(final Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public static HistoryQueries of(final DataSource dataSource) {
        return new HistoryQueries(Jdbis.create(dataSource));
    }

    /** Every cluster the store has heard of. */
    public List<String> clusters() {
        return jdbi.withExtension(FleetDao.class, FleetDao::clusters);
    }

    /** Who answered for {@code ip} in {@code cluster} at {@code at}, and which Service claimed it. */
    public Ownership owner(final String cluster, final String ip, final Instant at) {
        final String vip = canonicalIp(ip);
        requireTime("at", at);
        return jdbi.withHandle(handle -> {
            requireKnownCluster(handle.attach(FleetDao.class), cluster);
            final Optional<Change> last = handle.attach(OwnershipDao.class).lastChangeAtOrBefore(cluster, vip, at);
            return last.map(change -> new Ownership(cluster, vip, at, true, change.at(), change.afterNodes(),
                            change.service(), change.eventId(), change.causeType(), change.causeKey()))
                    .orElseGet(() -> new Ownership(cluster, vip, at, false, null, List.of(), null, null, null, null));
        });
    }

    /** Ownership changes, lanes, alert episodes and flap episodes of a VIP over [from, to]. */
    public Timeline timeline(final String cluster, final String ip, final Instant from, final Instant to) {
        final String vip = canonicalIp(ip);
        requireRange(from, to);
        return jdbi.withHandle(handle -> {
            requireKnownCluster(handle.attach(FleetDao.class), cluster);
            final OwnershipDao ownership = handle.attach(OwnershipDao.class);
            final List<Change> rows = ownership.stateAtAndChangesBetween(cluster, vip, from, to, MAX_TIMELINE_CHANGES + 1);
            final boolean knownAtStart = !rows.isEmpty() && !rows.get(0).at().isAfter(from);
            final List<String> atStart = knownAtStart ? rows.get(0).afterNodes()
                    : ownership.lastChangeAtOrBefore(cluster, vip, from).map(Change::afterNodes).orElse(List.of());
            final List<Change> changes = knownAtStart ? rows.subList(1, rows.size()) : rows;
            final boolean truncated = changes.size() > MAX_TIMELINE_CHANGES;
            final List<Change> shown = truncated ? changes.subList(0, MAX_TIMELINE_CHANGES) : changes;
            final List<AlertEpisode> episodes = handle.attach(AlertDao.class).ofVip(cluster, vip, from, to, MAX_LIMIT);
            final List<AlertEpisode> alerts = new ArrayList<>();
            final List<AlertEpisode> flaps = new ArrayList<>();
            for (final AlertEpisode episode : episodes) {
                (AlertKind.FLAPPING.name().equals(episode.kind()) ? flaps : alerts).add(episode);
            }
            final Instant end = truncated ? shown.get(shown.size() - 1).at() : to;
            return new Timeline(cluster, vip, from, to, atStart, List.copyOf(shown), truncated,
                    Lanes.of(atStart, shown, from, end), alerts, flaps);
        });
    }

    /**
     * The span of the VIP's latest changes (at most {@code lastChanges}) at or before {@code before}: where
     * a timeline of the VIP is worth looking.
     */
    public History.Activity recentActivity(final String cluster, final String ip, final Instant before,
            final int lastChanges) {
        final String vip = canonicalIp(ip);
        requireTime("before", before);
        requireLimit(lastChanges);
        return jdbi.withHandle(handle -> {
            requireKnownCluster(handle.attach(FleetDao.class), cluster);
            return handle.attach(OwnershipDao.class).recentActivity(cluster, vip, before, lastChanges);
        });
    }

    /** The VIPs whose responders changed most often in [from, to), in one cluster or (null) fleet-wide. */
    public List<FlapCount> topFlaps(final String cluster, final Instant from, final Instant to, final int limit) {
        requireRange(from, to);
        requireLimit(limit);
        return jdbi.withHandle(handle -> {
            if (cluster != null) {
                requireKnownCluster(handle.attach(FleetDao.class), cluster);
            }
            return handle.attach(OwnershipDao.class).topFlaps(cluster, from, to, limit);
        });
    }

    /** Open alert episodes, optionally of one cluster and one kind (null for all). */
    public List<AlertEpisode> openAlerts(final String cluster, final String kind) {
        final String checkedKind = kind(kind);
        return jdbi.withHandle(handle -> {
            if (cluster != null) {
                requireKnownCluster(handle.attach(FleetDao.class), cluster);
            }
            return handle.attach(AlertDao.class).open(cluster, checkedKind, MAX_LIMIT);
        });
    }

    /** Alert episodes opened in [from, to) and their time to resolve (p50, p95). */
    public Episodes episodes(final String cluster, final String kind, final Instant from, final Instant to) {
        final String checkedKind = kind(kind);
        requireRange(from, to);
        return jdbi.withHandle(handle -> {
            if (cluster != null) {
                requireKnownCluster(handle.attach(FleetDao.class), cluster);
            }
            final AlertDao alerts = handle.attach(AlertDao.class);
            final AlertDao.ResolveStats stats = alerts.resolveStats(cluster, checkedKind, from, to);
            final List<AlertEpisode> episodes = alerts.openedBetween(cluster, checkedKind, from, to, MAX_LIMIT + 1);
            final boolean truncated = episodes.size() > MAX_LIMIT;
            return new Episodes(from, to, stats.total(), stats.resolved(), stats.p50Seconds(), stats.p95Seconds(),
                    List.copyOf(truncated ? episodes.subList(0, MAX_LIMIT) : episodes), truncated);
        });
    }

    /** Per cluster (or for one): open alerts by severity, flapping VIPs, VIPs, and the last heartbeats. */
    public List<ClusterSummary> fleet(final String cluster) {
        return jdbi.withHandle(handle -> {
            final FleetDao fleet = handle.attach(FleetDao.class);
            if (cluster != null) {
                requireKnownCluster(fleet, cluster);
            }
            // cluster -> its heartbeats
            final Map<String, List<Heartbeat>> heartbeats = new LinkedHashMap<>();
            for (final FleetDao.SourceHeartbeat beat : fleet.heartbeats(cluster, cluster != null)) {
                heartbeats.computeIfAbsent(beat.cluster(), c -> new ArrayList<>())
                        .add(new Heartbeat(beat.source(), beat.node(), beat.at(), beat.intervalMs()));
            }
            final List<ClusterSummary> summaries = new ArrayList<>();
            for (final FleetDao.ClusterCounts counts : fleet.clusterCounts(cluster)) {
                summaries.add(new ClusterSummary(counts.cluster(), counts.lastSeen(), counts.openCritical(),
                        counts.openWarning(), counts.flappingVips(), counts.vips(), counts.agents(),
                        counts.oldestAgentHeartbeat(), heartbeats.getOrDefault(counts.cluster(), List.of())));
            }
            return summaries;
        });
    }

    /** The VIPs of a cluster with their latest state, those with open conditions first. */
    public List<Vip> vips(final String cluster) {
        return jdbi.withHandle(handle -> {
            requireKnownCluster(handle.attach(FleetDao.class), cluster);
            return handle.attach(VipStateDao.class).ofCluster(cluster, MAX_LIMIT);
        });
    }

    private static String canonicalIp(final String ip) {
        try {
            return Ips.canonical(ip);
        } catch (final IllegalArgumentException e) {
            throw new InvalidQueryException("ip", e.getMessage());
        }
    }

    private void requireKnownCluster(final FleetDao fleet, final String cluster) {
        if (cluster == null || cluster.isBlank()) {
            throw new InvalidQueryException("cluster", "required");
        }
        final Long confirmed = knownClusters.get(cluster);
        if (confirmed != null && System.nanoTime() - confirmed < KNOWN_CLUSTER_TTL_NANOS) {
            return;
        }
        if (!fleet.clusterExists(cluster)) {
            throw new InvalidQueryException("cluster", "unknown cluster '" + cluster + "'");
        }
        if (knownClusters.size() > 100_000) {
            knownClusters.clear();
        }
        knownClusters.put(cluster, System.nanoTime());
    }

    private static void requireTime(final String name, final Instant at) {
        if (at == null) {
            throw new InvalidQueryException(name, "required");
        }
    }

    private static void requireRange(final Instant from, final Instant to) {
        requireTime("from", from);
        requireTime("to", to);
        if (!from.isBefore(to)) {
            throw new InvalidQueryException("from", "must be before to (" + from + " is not before " + to + ")");
        }
        if (Duration.between(from, to).compareTo(MAX_RANGE) > 0) {
            throw new InvalidQueryException("to", "the range may span at most " + MAX_RANGE.toDays() + " days");
        }
    }

    private static void requireLimit(final int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidQueryException("limit", "must be between 1 and " + MAX_LIMIT + ", got " + limit);
        }
    }

    private static String kind(final String kind) {
        if (kind == null || kind.isBlank()) {
            return null;
        }
        final String upper = kind.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        if (!KINDS.contains(upper)) {
            throw new InvalidQueryException("kind", "unknown alert kind '" + kind + "'; one of " + new TreeSet<>(KINDS));
        }
        return upper;
    }
}
