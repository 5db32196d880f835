package io.vipwatch.store.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.vipwatch.schemas.policy.Redaction;
import io.vipwatch.store.History;
import io.vipwatch.store.HistoryApi;
import io.vipwatch.store.internal.TimeParams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vipwatch history owner|timeline|top-flaps|alerts|fleet}: the history's answers on the command
 * line, from the HTTP API ({@code --api}) or straight from PostgreSQL ({@code --jdbc-url}).
 */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = {"Asks the history: who answered for a VIP, its timeline, the top flapping VIPs, alerts, the fleet.",
            "Times: RFC 3339 (2026-11-01T03:12:00Z), epoch milliseconds, now, or now-2h.",
            "Exit codes: 0 answered, 1 failed, 2 bad usage or a question that cannot be answered (bad IP, range, cluster)."},
        subcommands = {
            HistoryCommand.Owner.class,
            HistoryCommand.Timeline.class,
            HistoryCommand.TopFlaps.class,
            HistoryCommand.Alerts.class,
            HistoryCommand.Fleet.class,
        })
public final class HistoryCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    public HistoryCommand() {
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    /** Output formats. */
    public enum Format { table, json }

    /** Where to ask and how to print: shared by every subcommand. */
    static final class SourceOptions {

        @Option(names = "--api", paramLabel = "URL", defaultValue = "${env:VIPWATCH_API_URL}",
                description = "Base URL of `vipwatch serve`, e.g. http://127.0.0.1:8080 (env VIPWATCH_API_URL;"
                        + " token from env VIPWATCH_API_TOKEN). Either this or --jdbc-url.")
        String api;

        @Mixin
        JdbcOptions jdbc = new JdbcOptions();

        @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
                description = "table (default) or json.")
        Format output;

        HistorySource open() {
            if (api != null && !api.isBlank()) {
                final URI uri;
                try {
                    uri = URI.create(api.trim());
                } catch (final IllegalArgumentException e) {
                    throw new IllegalArgumentException("--api '" + Redaction.url(api) + "' is not a URL");
                }
                if (uri.getScheme() == null || !uri.getScheme().startsWith("http")) {
                    throw new IllegalArgumentException("--api '" + Redaction.url(api) + "' must be an http or https URL");
                }
                return new HistorySource.Api(uri, ApiToken.read(null, System.getenv()));
            }
            if (!jdbc.hasUrl()) {
                throw new IllegalArgumentException("say where the history is: --api URL or --jdbc-url URL"
                        + " (env VIPWATCH_API_URL or VIPWATCH_JDBC_URL)");
            }
            return new HistorySource.Jdbc(jdbc.dataSource("vipwatch-history", 1));
        }
    }

    /** The VIP a question is about, both required: shared by {@code owner} and {@code timeline}. */
    static final class VipOptions {

        @Option(names = "--cluster", required = true, description = "Cluster id.")
        String cluster;

        @Option(names = "--vip", required = true, description = "The VIP (IPv4 or IPv6).")
        String vip;
    }

    /** The common run: open the source, ask, print; map errors to exit codes. */
    abstract static class Question implements Callable<Integer> {

        @Mixin
        SourceOptions source = new SourceOptions();

        @Spec
        CommandSpec spec;

        final Clock clock = Clock.systemUTC();

        abstract Object ask(HistorySource history, Instant now);

        abstract void printTable(Object answer, PrintWriter out);

        @Override
        public Integer call() {
            final PrintWriter out = spec.commandLine().getOut();
            final PrintWriter err = spec.commandLine().getErr();
            final String name = "vipwatch history " + spec.name();
            try (HistorySource history = source.open()) {
                final Object answer = ask(history, clock.instant());
                if (source.output == Format.json) {
                    out.println(HistoryApi.objectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(answer));
                    out.flush();
                } else {
                    printTable(answer, out);
                }
                return 0;
            } catch (final IllegalArgumentException e) {
                // InvalidQueryException included: a question the history cannot answer
                err.println(name + ": " + Redaction.message(e.getMessage()));
                err.flush();
                return 2;
            } catch (final JsonProcessingException | RuntimeException e) {
                err.println(name + ": " + Redaction.message(e.getMessage()));
                err.flush();
                return 1;
            }
        }

        static Instant time(final String name, final String text, final Instant now, final Instant fallback) {
            return TimeParams.parse(name, text, now, fallback);
        }

        /** {@code --from} and {@code --to}: {@code --to} defaults to now, {@code --from} to {@code lookback} before it. */
        record Range(Instant from, Instant to) {
            static Range of(final String from, final String to, final Instant now, final Duration lookback) {
                final Instant end = time("--to", to, now, now);
                return new Range(time("--from", from, now, end.minus(lookback)), end);
            }
        }

        static String nodes(final List<String> nodes) {
            return nodes == null || nodes.isEmpty() ? "nobody" : String.join(",", nodes);
        }
    }

    @Command(name = "owner", mixinStandardHelpOptions = true,
            description = "Who answered for a VIP at a time, and which Service claimed it.")
    static final class Owner extends Question {

        @Mixin
        VipOptions target = new VipOptions();

        @Option(names = "--at", defaultValue = "now", description = "The time (default now).")
        String at;

        @Override
        Object ask(final HistorySource history, final Instant now) {
            return history.owner(target.cluster, target.vip, time("--at", at, now, now));
        }

        @Override
        void printTable(final Object answer, final PrintWriter out) {
            final History.Ownership owner = (History.Ownership) answer;
            new TextTable("CLUSTER", "VIP", "AT", "NODES", "SERVICE", "SINCE", "CAUSE")
                    .row(owner.cluster(), owner.ip(), owner.at(), owner.known() ? nodes(owner.nodes()) : "unknown",
                            owner.service(), owner.since(),
                            owner.causeType() == null ? null : owner.causeType() + " " + owner.causeKey())
                    .print(out);
        }
    }

    @Command(name = "timeline", mixinStandardHelpOptions = true,
            description = "Ownership changes and alert/flap episodes of a VIP over a range.")
    static final class Timeline extends Question {

        @Mixin
        VipOptions target = new VipOptions();

        @Option(names = "--from", description = "Start (default: --to minus 24 h).")
        String from;

        @Option(names = "--to", defaultValue = "now", description = "End (default now).")
        String to;

        @Override
        Object ask(final HistorySource history, final Instant now) {
            final Range range = Range.of(from, to, now, Duration.ofHours(24));
            return history.timeline(target.cluster, target.vip, range.from(), range.to());
        }

        @Override
        void printTable(final Object answer, final PrintWriter out) {
            final History.Timeline timeline = (History.Timeline) answer;
            out.println(timeline.ip() + " in " + timeline.cluster() + ", " + timeline.from() + " to " + timeline.to()
                    + "; at the start: " + nodes(timeline.nodesAtStart()));
            final TextTable changes = new TextTable("AT", "BEFORE", "AFTER", "SERVICE", "CAUSE");
            timeline.changes().forEach(change -> changes.row(change.at(), nodes(change.beforeNodes()),
                    nodes(change.afterNodes()), change.service(), change.causeType() + " " + change.causeKey()));
            changes.print(out);
            out.println();
            final TextTable episodes = new TextTable("KIND", "SEVERITY", "OPENED", "RESOLVED", "NODES", "HINT");
            timeline.alerts().forEach(e -> episodes.row(e.kind(), e.severity(), e.openedAt(), e.resolvedAt(),
                    nodes(e.nodes()), e.hint()));
            timeline.flaps().forEach(e -> episodes.row(e.kind(), e.severity(), e.openedAt(), e.resolvedAt(),
                    nodes(e.nodes()), e.hint()));
            episodes.print(out);
        }
    }

    @Command(name = "top-flaps", mixinStandardHelpOptions = true,
            description = "The VIPs whose responders changed most often over a range, in a cluster or fleet-wide.")
    static final class TopFlaps extends Question {

        @Option(names = "--cluster", description = "Only this cluster (default: the whole fleet).")
        String cluster;

        @Option(names = "--from", description = "Start (default: --to minus 7 d).")
        String from;

        @Option(names = "--to", defaultValue = "now", description = "End (default now).")
        String to;

        @Option(names = "--limit", defaultValue = "20", description = "How many (1 to 1000, default ${DEFAULT-VALUE}).")
        int limit;

        @Override
        Object ask(final HistorySource history, final Instant now) {
            final Range range = Range.of(from, to, now, Duration.ofDays(7));
            return history.topFlaps(cluster, range.from(), range.to(), limit);
        }

        @Override
        @SuppressWarnings("unchecked")
        void printTable(final Object answer, final PrintWriter out) {
            final TextTable table = new TextTable("CLUSTER", "VIP", "CHANGES", "FLAP EPISODES", "FIRST", "LAST");
            ((List<History.FlapCount>) answer).forEach(flap -> table.row(flap.cluster(), flap.ip(), flap.changes(),
                    flap.flapEpisodes(), flap.firstChange(), flap.lastChange()));
            table.print(out);
        }
    }

    @Command(name = "alerts", mixinStandardHelpOptions = true,
            description = {"Open alerts; with --from/--to the episodes opened in that range and their time to resolve."})
    static final class Alerts extends Question {

        @Option(names = "--cluster", description = "Only this cluster.")
        String cluster;

        @Option(names = "--kind", description = "Only this kind, e.g. FOREIGN_BINDING.")
        String kind;

        @Option(names = "--from", description = "Episodes opened from here (switches to episodes).")
        String from;

        @Option(names = "--to", description = "Episodes opened before here (default now).")
        String to;

        @Override
        Object ask(final HistorySource history, final Instant now) {
            if (from == null && to == null) {
                return history.openAlerts(cluster, kind);
            }
            final Range range = Range.of(from, to, now, Duration.ofDays(7));
            return history.episodes(cluster, kind, range.from(), range.to());
        }

        @Override
        @SuppressWarnings("unchecked")
        void printTable(final Object answer, final PrintWriter out) {
            final List<History.AlertEpisode> episodes;
            if (answer instanceof History.Episodes range) {
                out.println(range.total() + " episodes opened " + range.from() + " to " + range.to() + ", "
                        + range.resolved() + " resolved; time to resolve p50 " + seconds(range.resolveSecondsP50())
                        + ", p95 " + seconds(range.resolveSecondsP95()));
                episodes = range.episodes();
            } else {
                episodes = (List<History.AlertEpisode>) answer;
            }
            final TextTable table = new TextTable("SEVERITY", "KIND", "CLUSTER", "VIP", "NODES", "OPENED", "RESOLVED",
                    "HINT");
            episodes.forEach(e -> table.row(e.severity(), e.kind(), e.cluster(), e.vip(), nodes(e.nodes()),
                    e.openedAt(), e.resolvedAt() == null ? "open" : e.resolvedAt(), e.hint()));
            table.print(out);
        }

        private static String seconds(final Double value) {
            return value == null ? "-" : String.format(Locale.ROOT, "%.1f s", value);
        }
    }

    @Command(name = "fleet", mixinStandardHelpOptions = true,
            description = "Per cluster: open alerts by severity, flapping VIPs, VIPs and the last heartbeats.")
    static final class Fleet extends Question {

        @Option(names = "--cluster", description = "Only this cluster (then every source's heartbeat is listed).")
        String cluster;

        @Override
        Object ask(final HistorySource history, final Instant now) {
            return history.fleet(cluster);
        }

        @Override
        @SuppressWarnings("unchecked")
        void printTable(final Object answer, final PrintWriter out) {
            final TextTable table = new TextTable("CLUSTER", "CRITICAL", "WARNING", "FLAPPING", "VIPS", "HEARTBEATS",
                    "LAST EVENT");
            ((List<History.ClusterSummary>) answer).forEach(c -> table.row(c.cluster(), c.openCritical(),
                    c.openWarning(), c.flappingVips(), c.vips(), c.heartbeats().stream()
                            .map(h -> h.source() + "@" + h.at()).reduce((a, b) -> a + " " + b).orElse("-"),
                    c.lastSeen()));
            table.print(out);
        }
    }
}
