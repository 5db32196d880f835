package io.vipwatch.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.vipwatch.embedded.EmbeddedKafka;
import io.vipwatch.store.cli.JdbcOptions;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vipwatch bench [NAME...]}: measures every speed target of the design beside its baseline, both sides in
 * the same run on the same broker, alternating. Each sub-benchmark prints one summary line and writes
 * {@code NAME.json} under {@code --out}; the run ends with
 * {@code bench: topology_ratio=… decision_p99_ms=… bytes_per_vip=… analyze_eps=…}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measures vipwatch against its speed targets, each beside its baseline in one run.",
            "Sub-benchmarks: topology, latency, state, storm, analyze, history (all by default), growth (by name only).",
            "Starts an embedded Kafka broker (or uses --bootstrap-servers) and, for history, an embedded",
            "PostgreSQL (or uses --jdbc-url)."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:every chosen benchmark ran (targets met or not: see the lines)",
            "1:a benchmark failed (e.g. the topology's alerts differ from analyze's)", "2:bad usage"})
public final class BenchCommand implements Callable<Integer> {

    /** The sub-benchmarks in the order they run; {@code growth} runs only when named. */
    public static final List<String> DEFAULT = List.of("topology", "latency", "state", "storm", "analyze", "history");
    public static final List<String> ALL = List.of("topology", "latency", "state", "storm", "analyze", "history",
            "growth");

    @Parameters(paramLabel = "NAME", arity = "0..*",
            description = "Sub-benchmarks to run: ${COMPLETION-CANDIDATES} (default: all but growth).",
            completionCandidates = Names.class)
    List<String> names = new ArrayList<>();

    @Option(names = "--quick", description = "Reduced sizes: every default sub-benchmark in about 3 minutes.")
    boolean quick;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "bench-results",
            description = "Where NAME.json, summary.json and scratch files go (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "Use this Kafka cluster instead of an embedded broker (topics get a bench-* prefix).")
    String bootstrapServers;

    /** PostgreSQL for history (a user with CREATEDB: each run makes and drops its own database); default embedded. */
    @Mixin
    JdbcOptions jdbc;

    @Option(names = "--scale", paramLabel = "FACTOR", defaultValue = "1",
            description = "Multiplies every size (tests use tiny scales; default ${DEFAULT-VALUE}).")
    double scale;

    @Option(names = "--rate", paramLabel = "EVENTS_PER_S",
            description = "Background load of the latency benchmark (default: 20000, the target's load).")
    Integer rate;

    @Option(names = "--rounds", paramLabel = "N",
            description = "Measured rounds per side after one warm-up each (default: 1 with --quick, else 3).")
    Integer rounds;

    @Spec
    CommandSpec spec;

    static final class Names extends ArrayList<String> {
        Names() {
            super(ALL);
        }
    }

    /** Runs the command without the app (the module's own classpath). */
    public static void main(final String[] args) {
        System.exit(new CommandLine(new BenchCommand()).execute(args));
    }

    @Override
    public Integer call() {
        final PrintWriter stdout = spec.commandLine().getOut();
        final PrintWriter stderr = spec.commandLine().getErr();
        final List<String> chosen = names.isEmpty() ? DEFAULT : names;
        for (final String name : chosen) {
            if (!ALL.contains(name)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "unknown benchmark '" + name
                        + "'; choose from " + ALL);
            }
        }
        if (scale <= 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--scale: must be positive, got " + scale);
        }
        Sizes sizes = quick ? Sizes.quick(scale) : Sizes.full(scale);
        if (rounds != null || rate != null) {
            if (rounds != null && rounds < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--rounds: at least 1, got " + rounds);
            }
            if (rate != null && rate < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--rate: at least 1, got " + rate);
            }
            sizes = new Sizes(rounds == null ? sizes.rounds() : rounds, sizes.topologyEvents(),
                    rate == null ? sizes.latencyRate() : rate, sizes.latencySeconds(),
                    sizes.latencyClusters(), sizes.stateClusters(), sizes.stateVips(), sizes.stateHeapMb(),
                    sizes.restoreClusters(), sizes.stormClusters(), sizes.stormNodes(), sizes.stormServices(),
                    sizes.analyzeEvents(), sizes.historyRows(), sizes.historySinkRecords(), sizes.historyQueries());
        }
        final HistoryBench.Database database = jdbc.hasUrl() ? new HistoryBench.Database(jdbc.url(),
                jdbc.user() == null ? "postgres" : jdbc.user(), jdbc.password() == null ? "" : jdbc.password()) : null;
        try {
            Files.createDirectories(out);
        } catch (final IOException e) {
            throw new UncheckedIOException("--out " + out + ": " + e.getMessage(), e);
        }
        final long started = System.nanoTime();
        final String runId = DateTimeFormatter.ofPattern("HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
        final Map<String, Result> results = new LinkedHashMap<>();
        final Map<String, Object> machine = machine();
        stderr.println("bench: " + (quick ? "quick " : "") + chosen + " on " + machine);
        stderr.flush();
        EmbeddedKafka embedded = null;
        int code = CommandLine.ExitCode.OK;
        try {
            final String servers;
            if (bootstrapServers == null) {
                embedded = EmbeddedKafka.builder().numPartitions(3).start();
                servers = embedded.bootstrapServers();
            } else {
                servers = bootstrapServers;
            }
            try (BenchKafka kafka = new BenchKafka(servers)) {
                final BenchRun run = new BenchRun(kafka, sizes, out, runId, stderr);
                for (final String name : chosen) {
                    final long start = System.nanoTime();
                    final Result result;
                    try {
                        result = switch (name) {
                            case "topology" -> TopologyBench.run(run);
                            case "latency" -> LatencyBench.run(run);
                            case "state" -> StateBench.run(run);
                            case "storm" -> StormBench.run(run);
                            case "analyze" -> AnalyzeBench.run(run);
                            case "history" -> HistoryBench.run(run, database);
                            case "growth" -> GrowthBench.run(run);
                            default -> throw new IllegalStateException(name);
                        };
                    } catch (final RuntimeException e) {
                        stderr.println("bench: " + name + " FAILED: " + e.getMessage());
                        e.printStackTrace(stderr);
                        stderr.flush();
                        code = CommandLine.ExitCode.SOFTWARE;
                        continue;
                    }
                    result.figures().put("seconds", (System.nanoTime() - start) / 1e9);
                    result.figures().put("quick", quick);
                    result.figures().put("scale", scale);
                    result.figures().put("machine", machine);
                    result.figures().put("loadAverageAtEnd", loadAverage());
                    write(out.resolve(name + ".json"), result.figures());
                    results.put(name, result);
                    stdout.println(result.summary());
                    stdout.flush();
                }
            }
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
        final String line = summaryLine(results);
        final Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("quick", quick);
        summary.put("benchmarks", chosen);
        summary.put("seconds", (System.nanoTime() - started) / 1e9);
        summary.put("machine", machine);
        summary.put("line", line);
        final Map<String, Object> lines = new LinkedHashMap<>();
        results.forEach((name, result) -> lines.put(name, result.summary()));
        summary.put("summaries", lines);
        write(out.resolve("summary.json"), summary);
        stdout.println(line);
        stdout.flush();
        return code;
    }

    /** {@code bench: topology_ratio=… decision_p99_ms=… bytes_per_vip=… analyze_eps=…}; n/a for what did not run. */
    static String summaryLine(final Map<String, Result> results) {
        return "bench: topology_ratio=" + figure(results, "topology", "ratio", "%.2f")
                + " decision_p99_ms=" + figure(results, "latency", "p99Ms", "%.0f")
                + " bytes_per_vip=" + figure(results, "state", "bytesPerVip", "%.0f")
                + " analyze_eps=" + figure(results, "analyze", "analyzeEventsPerSecond", "%.0f");
    }

    private static String figure(final Map<String, Result> results, final String name, final String key,
            final String format) {
        final Result result = results.get(name);
        final double value = result == null ? Double.NaN : result.number(key);
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, format, value);
    }

    /** Where the figures come from: cores, heap, Java, load average, date. */
    static Map<String, Object> machine() {
        final Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("maxHeapMb", Runtime.getRuntime().maxMemory() >> 20);
        machine.put("java", System.getProperty("java.version"));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        machine.put("loadAverage", loadAverage());
        machine.put("date", Instant.now().toString());
        return machine;
    }

    private static String loadAverage() {
        try {
            final String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (final IOException | RuntimeException e) {
            return String.format(Locale.ROOT, "%.2f",
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    private static void write(final Path file, final Map<String, Object> document) {
        try {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), document);
        } catch (final IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }
}
