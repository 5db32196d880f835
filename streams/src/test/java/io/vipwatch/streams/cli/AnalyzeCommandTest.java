package io.vipwatch.streams.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vipwatch.streams.core.vocabulary.AlertKind;
import io.vipwatch.streams.Scenario;
import io.vipwatch.streams.core.Alerts;
import picocli.CommandLine;

class AnalyzeCommandTest {

    @TempDir
    Path dir;

    record Run(int exitCode, List<String> stdout, String stderr) {
    }

    static Run analyze(final String... args) {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int code = new CommandLine(new AnalyzeCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(args);
        final List<String> lines = out.toString().isEmpty() ? List.of() : List.of(out.toString().split("\n"));
        return new Run(code, lines, err.toString());
    }

    private Path seed() {
        return Scenario.writeRecording(dir.resolve("seed.jsonl"), Scenario.seedIncident("c1").events());
    }

    @Test
    void printsTheSeedIncidentAsExactJsonLines() {
        final Run run = analyze(seed().toString());

        final String fingerprint = Alerts.fingerprint("c1", Scenario.VIP, AlertKind.FOREIGN_BINDING);
        final String episode = fingerprint + "-" + Scenario.time(27);
        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout()).hasSize(2);
        assertThat(run.stdout().get(0)).startsWith("{\"state\":\"OPENED\",\"kind\":\"FOREIGN_BINDING\","
                + "\"severity\":\"critical\",\"cluster\":\"c1\",\"vip\":\"198.51.100.10\",\"service\":\"default/web\","
                + "\"nodes\":[\"cp-1\"],\"at\":\"2026-11-01T00:00:27Z\",\"fingerprint\":\"" + fingerprint + "\","
                + "\"episode\":\"" + episode + "\",\"hint\":\"kube-vip (pod kube-system/kube-vip-cp-1) on cp-1 runs with svc_enable=true");
        assertThat(run.stdout().get(1)).isEqualTo("{\"state\":\"RESOLVED\",\"kind\":\"FOREIGN_BINDING\","
                + "\"severity\":\"critical\",\"cluster\":\"c1\",\"vip\":\"198.51.100.10\",\"service\":\"default/web\","
                + "\"nodes\":[\"cp-1\"],\"at\":\"2026-11-01T00:01:15Z\",\"fingerprint\":\"" + fingerprint + "\","
                + "\"episode\":\"" + episode + "\",\"hint\":" + run.stdout().get(1).split("\"hint\":", 2)[1]);
        assertThat(run.stderr()).containsPattern("analyzed 21 events in [0-9.]+ s \\([0-9]+ events/s\\), 0 bad lines skipped");
    }

    @Test
    void oneEventDated2099CannotSilenceTheClusterItIsABadLine() throws Exception {
        final Path file = seed();
        final List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.add(0, "{\"type\":\"heartbeat\",\"cluster\":\"c1\",\"observedAt\":\"2099-01-01T00:00:00Z\",\"source\":\"x\"}");
        Files.write(file, lines);

        final Run run = analyze(file.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout()).hasSize(2);
        assertThat(run.stderr()).contains(file + ":1: 'observedAt' 2099-01-01T00:00:00Z is more than PT5M ahead of "
                + "the wall clock").contains("1 bad line skipped");
    }

    @Test
    void timesFarAwayAreBadLinesNotACrash() throws Exception {
        final Path file = seed();
        final List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.add(1, "{\"type\":\"heartbeat\",\"cluster\":\"c1\",\"observedAt\":\"+296675-01-01T00:00:00Z\",\"source\":\"x\"}");
        lines.add(2, "{\"type\":\"heartbeat\",\"cluster\":\"c1\",\"observedAt\":\"-296675-01-01T00:00:00Z\",\"source\":\"x\"}");
        lines.add(3, "{\"type\":\"heartbeat\",\"cluster\":\"c1\",\"observedAt\":\"+999999999-12-31T23:59:59Z\",\"source\":\"x\"}");
        Files.write(file, lines);

        final Run run = analyze(file.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout()).hasSize(2);
        assertThat(run.stderr()).contains(file + ":2: ").contains(file + ":3: ").contains(file + ":4: ")
                .contains("3 bad lines skipped");
    }

    @Test
    void aMaxClockSkewOfZeroStillAcceptsThePast() {
        final Run run = analyze("--max-clock-skew", "0s", seed().toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout()).hasSize(2);
    }

    @Test
    void readsStandardInputForADash() throws Exception {
        final InputStream stdin = System.in;
        try {
            System.setIn(Files.newInputStream(seed()));
            final Run run = analyze("-");
            assertThat(run.exitCode()).isZero();
            assertThat(run.stdout()).hasSize(2);
        } finally {
            System.setIn(stdin);
        }
    }

    @Test
    void reportsBadLinesWithFileAndLineSkipsAndCountsThem() throws Exception {
        final Path file = seed();
        final List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.add(3, "{\"type\":\"service\",\"cluster\":\"c1\"");
        lines.add(5, "{\"type\":\"node-addresses\",\"cluster\":\"c1\",\"observedAt\":\"2026-11-01T00:00:01Z\",\"node\":\"x\",\"addresses\":[{\"interface\":\"eth0\",\"ip\":\"300.1.1.1\",\"prefixLength\":32}]}");
        Files.write(file, lines);

        final Run run = analyze(file.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout()).hasSize(2);
        assertThat(run.stderr()).contains(file + ":4: not JSON").contains(file + ":6: 'addresses[0].ip'")
                .contains("2 bad lines skipped");
    }

    @Test
    void stopsAtTheFirstBadLineWhenStrict() throws Exception {
        final Path file = seed();
        final List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.add(1, "not json");
        Files.write(file, lines);

        final Run run = analyze("--strict", file.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains(file + ":2: not JSON");
    }

    @Test
    void appliesTheTunables() {
        final Run run = analyze("--grace", "5s", "--flap-half-life", "PT1M", "--silence-after", "250ms", seed().toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout()).filteredOn(l -> l.contains("FOREIGN_BINDING") && l.contains("OPENED"))
                .singleElement().asString().contains("\"at\":\"2026-11-01T00:00:17Z\"");
        assertThat(run.stdout()).anyMatch(l -> l.contains("COLLECTOR_SILENT"));
    }

    @Test
    void rejectsAMalformedDurationNamingTheFlag() {
        final Run run = analyze("--grace", "15x", seed().toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("--grace").contains("15x").contains("not a duration");
    }

    @Test
    void rejectsAReuseLimitAboveTheSuppressLimitNamingTheFlags() {
        final Run run = analyze("--flap-reuse", "3000", seed().toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("--flap-suppress").contains("flap-reuse");
    }

    @Test
    void saysWhenTheFileDoesNotExist() {
        final Run run = analyze(dir.resolve("missing.jsonl").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("missing.jsonl: no such file");
    }
}
