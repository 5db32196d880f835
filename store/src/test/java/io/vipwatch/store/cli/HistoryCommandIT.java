package io.vipwatch.store.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vipwatch.schemas.Topics;
import io.vipwatch.store.ApiSettings;
import io.vipwatch.store.ConflictScenario;
import io.vipwatch.store.HistoryApi;
import io.vipwatch.store.HistoryWriter;
import io.vipwatch.store.Migrations;
import io.vipwatch.store.StoreTesting;
import io.vipwatch.testkit.KafkaTestCluster;
import io.vipwatch.testkit.Poll;
import io.vipwatch.testkit.TestDatabase;
import io.vipwatch.testkit.WithKafka;
import io.vipwatch.testkit.WithPostgres;
import picocli.CommandLine;

/** {@code vipwatch history} against the JDBC URL and against the HTTP API, over the demo's scenario. */
@WithKafka
@WithPostgres
class HistoryCommandIT {

    private static final ConflictScenario SCENARIO = new ConflictScenario("prod-eu-1", Instant.parse("2026-11-01T03:12:00Z"));
    private static TestDatabase database;
    private static HistoryApi api;

    @BeforeAll
    static void seed(final KafkaTestCluster kafka, final TestDatabase db) {
        database = db;
        Migrations.migrate(db.dataSource());
        final Topics topics = StoreTesting.createTopics(kafka);
        try (HistoryWriter sink = HistoryWriter.start(StoreTesting.sinkSettings(kafka, topics, db.dataSource()))) {
            SCENARIO.send(kafka, topics);
            Poll.until("the scenario stored", Duration.ofSeconds(30), () -> StoreTesting.count(db.dataSource(),
                    "SELECT (SELECT count(*) FROM ownership_changes) + (SELECT count(*) FROM alert_transitions)"),
                    n -> n == ConflictScenario.CHANGES + ConflictScenario.TRANSITIONS);
        }
        api = HistoryApi.start(ApiSettings.of(db.dataSource()).withAddress("127.0.0.1", 0));
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
    }

    record Run(int exitCode, String out, String err) {
    }

    static Run history(final String... args) {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CommandLine command = new CommandLine(new HistoryCommand());
        command.setOut(new PrintWriter(out));
        command.setErr(new PrintWriter(err));
        final int exit = command.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    static String[] jdbc(final String... args) {
        final List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--jdbc-url", database.jdbcUrl(), "--jdbc-user", database.user()));
        return all.toArray(String[]::new);
    }

    static String[] viaApi(final String... args) {
        final List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--api", api.uri().toString()));
        return all.toArray(String[]::new);
    }

    @Test
    void namesTheSpeakerBeforeTheConflictAndBothNodesDuringIt() {
        final Run before = history(jdbc("owner", "--cluster", "prod-eu-1", "--vip", "198.51.100.10",
                "--at", SCENARIO.beforeConflict().toString()));
        final Run during = history(jdbc("owner", "--cluster", "prod-eu-1", "--vip", "198.51.100.10",
                "--at", SCENARIO.duringConflict().toString()));

        assertThat(before.exitCode()).as(before.err()).isZero();
        assertThat(before.out()).contains("NODES").contains("  worker-1  ").doesNotContain("cp-1,worker-1");
        assertThat(during.exitCode()).as(during.err()).isZero();
        assertThat(during.out()).contains(" cp-1,worker-1 ").contains("default/web");
    }

    @Test
    void answersTheSameThroughTheApiAsJson() throws Exception {
        final Run direct = history(jdbc("owner", "--cluster", "prod-eu-1", "--vip", "198.51.100.10",
                "--at", SCENARIO.duringConflict().toString(), "--output", "json"));
        final Run remote = history(viaApi("owner", "--cluster", "prod-eu-1", "--vip", "198.51.100.10",
                "--at", SCENARIO.duringConflict().toString(), "--output", "json"));

        assertThat(remote.exitCode()).as(remote.err()).isZero();
        final JsonNode answer = new ObjectMapper().readTree(remote.out());
        assertThat(answer.get("nodes")).extracting(JsonNode::asText).containsExactly("cp-1", "worker-1");
        assertThat(new ObjectMapper().readTree(direct.out())).isEqualTo(answer);
    }

    static Stream<Arguments> subcommands() {
        final String from = SCENARIO.start().toString();
        final String to = SCENARIO.at(3600).toString();
        return Stream.of(
                Arguments.of("timeline lists the four changes and the episode",
                        new String[] {"timeline", "--cluster", "prod-eu-1", "--vip", "198.51.100.10", "--from", from, "--to", to},
                        List.of("cp-1,worker-1", "FOREIGN_BINDING", "svc_enable")),
                Arguments.of("top-flaps ranks the VIP with its four changes",
                        new String[] {"top-flaps", "--from", from, "--to", to}, List.of("198.51.100.10", " 4 ")),
                Arguments.of("alerts over a range gives the time to resolve",
                        new String[] {"alerts", "--from", from, "--to", to}, List.of("p50 41.0 s", "FOREIGN_BINDING")),
                Arguments.of("open alerts: none left", new String[] {"alerts"}, List.of("(none)")),
                Arguments.of("fleet lists the cluster", new String[] {"fleet"}, List.of("prod-eu-1", "CRITICAL")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("subcommands")
    void answersEverySubcommandAsATableFromBothSources(final String description, final String[] args,
            final List<String> expected) {
        for (final Run run : List.of(history(jdbc(args)), history(viaApi(args)))) {
            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out()).contains(expected);
        }
    }

    static Stream<Arguments> badQuestions() {
        return Stream.of(
                Arguments.of("a bad IP", new String[] {"owner", "--cluster", "prod-eu-1", "--vip", "198.51.100.300"},
                        "ip: invalid IP address '198.51.100.300'"),
                Arguments.of("an unknown cluster", new String[] {"owner", "--cluster", "nope", "--vip", "198.51.100.10"},
                        "cluster: unknown cluster 'nope'"),
                Arguments.of("a reversed range", new String[] {"timeline", "--cluster", "prod-eu-1", "--vip", "198.51.100.10",
                        "--from", "2026-11-02T00:00:00Z", "--to", "2026-11-01T00:00:00Z"}, "from: must be before to"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badQuestions")
    void exitsWithTwoAndNamesWhatIsWrong(final String description, final String[] args, final String message) {
        for (final Run run : List.of(history(jdbc(args)), history(viaApi(args)))) {
            assertThat(run.exitCode()).isEqualTo(2);
            assertThat(run.err()).contains(message);
        }
    }

    @Test
    void asksForASourceWhenNoneIsGiven() {
        final Run run = history("owner", "--cluster", "prod-eu-1", "--vip", "198.51.100.10");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--api URL or --jdbc-url URL");
    }
}
