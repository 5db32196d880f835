package io.vipwatch.ops.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vipwatch.ops.alertmanager.AlertForwarder;
import io.vipwatch.ops.telemetry.MetricsOptions;
import io.vipwatch.ops.telemetry.Telemetry;
import io.vipwatch.ops.telemetry.TelemetryServer;
import io.vipwatch.schemas.cli.DurationConverter;
import io.vipwatch.schemas.cli.KafkaOptions;
import io.vipwatch.schemas.cli.StopSignal;
import io.vipwatch.schemas.cli.Usage;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vipwatch alertmanager}: forwards vipwatch.alerts.v1 to Alertmanager until SIGTERM. */
@Command(name = "alertmanager", mixinStandardHelpOptions = true,
        description = {"Forwards vipwatch's alerts to Alertmanager (API v2, POST /api/v2/alerts) until stopped.",
            "One Alertmanager alert per alert fingerprint: labels alertname (the kind), severity, cluster, vip,",
            "service, fingerprint; annotations summary, description (the hint), nodes, episode; generatorURL the",
            "VIP's page. Open alerts are re-posted every resend interval; nothing is dropped while Alertmanager is",
            "down or answers 5xx (see docs/operations.md)."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:stopped cleanly", "1:the forwarder failed", "2:bad usage"})
public final class AlertmanagerCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(AlertmanagerCommand.class);

    @Mixin
    KafkaOptions kafka = new KafkaOptions();

    @Option(names = "--alertmanager-url", paramLabel = "URL",
            description = {"Alertmanager base URL, e.g. http://alertmanager:9093; repeat it for an HA pair: each gets every alert",
                "(env VIPWATCH_ALERTMANAGER_URL, comma-separated)."})
    List<String> alertmanagerUrls = new ArrayList<>();

    @Option(names = "--page-url", paramLabel = "BASE", defaultValue = "${env:VIPWATCH_PAGE_URL}",
            description = "Base URL of the vipwatch page (vipwatch serve) for each alert's generatorURL (env VIPWATCH_PAGE_URL; default none).")
    String pageUrl;

    @Option(names = "--resend-interval", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "${env:VIPWATCH_RESEND_INTERVAL:-1m}",
            description = "Re-post open alerts this often; their endsAt is now + 4 × this (env VIPWATCH_RESEND_INTERVAL; default ${DEFAULT-VALUE}).")
    Duration resendInterval;

    @Option(names = "--group", paramLabel = "ID",
            defaultValue = "${env:VIPWATCH_ALERTMANAGER_GROUP:-" + AlertForwarder.Settings.DEFAULT_GROUP_ID + "}",
            description = "Consumer group; its offsets advance only past transitions every Alertmanager took (env VIPWATCH_ALERTMANAGER_GROUP; default ${DEFAULT-VALUE}).")
    String group;

    @Mixin
    MetricsOptions metrics = new MetricsOptions();

    /** The default of --metrics-port for this role. */
    public static final int DEFAULT_METRICS_PORT = 9405;

    @Spec
    CommandSpec spec;

    /** The settings these flags describe. @throws CommandLine.ParameterException naming the bad flag */
    public AlertForwarder.Settings settings() {
        final List<String> urls = new ArrayList<>(alertmanagerUrls);
        final String env = System.getenv("VIPWATCH_ALERTMANAGER_URL");
        if (urls.isEmpty() && env != null) {
            Arrays.stream(env.split(",")).map(String::strip).filter(url -> !url.isEmpty()).forEach(urls::add);
        }
        for (final String url : urls) {
            if (!url.startsWith("http://") && !url.startsWith("https://")) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--alertmanager-url must be an http:// or https:// URL, got " + url);
            }
        }
        return Usage.check(spec, () -> AlertForwarder.Settings.of(kafka.clientProperties(), kafka.topics().alerts(),
                urls).withGroupId(group).withPageUrl(pageUrl).withResendInterval(resendInterval));
    }

    @Override
    public Integer call() throws InterruptedException {
        final AlertForwarder.Settings settings = settings();
        final PrintWriter err = spec.commandLine().getErr();
        final Telemetry telemetry = new Telemetry("alertmanager");
        try (StopSignal stop = StopSignal.install("alertmanager");
             AlertForwarder forwarder = AlertForwarder.start(settings, telemetry);
             TelemetryServer server = metrics.start(telemetry, DEFAULT_METRICS_PORT)) {
            while (!stop.awaitStop(1, TimeUnit.SECONDS)) {
                if (forwarder.failed()) {
                    err.println("vipwatch alertmanager stopped: the forwarder failed (see the log)");
                    err.flush();
                    return CommandLine.ExitCode.SOFTWARE;
                }
            }
            LOG.info("stopping on request");
            return CommandLine.ExitCode.OK;
        }
    }
}
