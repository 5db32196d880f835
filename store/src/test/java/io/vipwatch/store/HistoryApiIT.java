package io.vipwatch.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.postgresql.ds.PGSimpleDataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vipwatch.schemas.Topics;
import io.vipwatch.testkit.KafkaTestCluster;
import io.vipwatch.testkit.Poll;
import io.vipwatch.testkit.TestDatabase;
import io.vipwatch.testkit.WithKafka;
import io.vipwatch.testkit.WithPostgres;

/**
 * The HTTP API over a history written by the sink. The sink logs in as a member of the writer role and
 * the API as a member of the read-only role, as in production.
 */
@WithKafka
@WithPostgres
class HistoryApiIT {

    private static final String TOKEN = "s3cret-token";
    private static final ConflictScenario SCENARIO = new ConflictScenario("prod-eu-1", Instant.parse("2026-11-01T03:12:00Z"));
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static HistoryApi api;
    private static HistoryApi openApi;
    private static DataSource reader;

    @BeforeAll
    static void seed(final KafkaTestCluster kafka, final TestDatabase db) {
        Migrations.migrate(db.dataSource());
        final DataSource writer = loginAs(db, "writer", Migrations.WRITER_ROLE);
        reader = loginAs(db, "reader", Migrations.READER_ROLE);
        final Topics topics = StoreTesting.createTopics(kafka);
        try (HistoryWriter sink = HistoryWriter.start(StoreTesting.sinkSettings(kafka, topics, writer))) {
            SCENARIO.send(kafka, topics);
            Poll.until("the scenario stored", Duration.ofSeconds(30), () -> StoreTesting.count(db.dataSource(),
                    "SELECT (SELECT count(*) FROM ownership_changes) + (SELECT count(*) FROM alert_transitions)"),
                    n -> n == ConflictScenario.CHANGES + ConflictScenario.TRANSITIONS);
        }
        api = HistoryApi.start(ApiSettings.of(reader).withAddress("127.0.0.1", 0).withBearerToken(TOKEN));
        openApi = HistoryApi.start(ApiSettings.of(reader).withAddress("127.0.0.1", 0));
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
        if (openApi != null) {
            openApi.close();
        }
    }

    /** A login role that is a member of {@code group}, named after the test database so runs never collide. */
    static DataSource loginAs(final TestDatabase db, final String what, final String group) {
        final String role = db.name() + "_" + what;
        StoreTesting.query(db.dataSource(), handle -> handle.execute(
                "DO $$ BEGIN CREATE ROLE " + role + " LOGIN PASSWORD 'pw' IN ROLE " + group
                        + "; EXCEPTION WHEN duplicate_object THEN NULL; END $$"));
        final PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(db.jdbcUrl());
        dataSource.setUser(role);
        dataSource.setPassword("pw");
        return dataSource;
    }

    @Test
    void answersWhoRespondedBeforeAndDuringTheConflict() throws Exception {
        final JsonNode before = get(api, vipPath() + "/owner?at=" + SCENARIO.beforeConflict(), TOKEN);
        final JsonNode during = get(api, vipPath() + "/owner?at=" + SCENARIO.duringConflict(), TOKEN);

        assertThat(before.get("nodes")).extracting(JsonNode::asText).containsExactly("worker-1");
        assertThat(during.get("nodes")).extracting(JsonNode::asText).containsExactly("cp-1", "worker-1");
        assertThat(during.get("service").asText()).isEqualTo("default/web");
        assertThat(during.get("since").asText()).isEqualTo(SCENARIO.at(20).toString());
    }

    @Test
    void drawsOneLanePerNodeAndTheDivergenceInTheTimeline() throws Exception {
        final JsonNode timeline = get(api, vipPath() + "/timeline?from=" + SCENARIO.start() + "&to=" + SCENARIO.at(120),
                TOKEN);

        assertThat(timeline.get("lanes")).extracting(lane -> lane.get("node").asText()).containsExactly("cp-1", "worker-1");
        assertThat(timeline.at("/lanes/0/spans/0/from").asText()).isEqualTo(SCENARIO.at(20).toString());
        assertThat(timeline.at("/lanes/0/spans/0/to").asText()).isEqualTo(SCENARIO.at(61).toString());
        assertThat(timeline.at("/lanes/1/spans/0/from").asText()).isEqualTo(SCENARIO.at(6).toString());
        assertThat(timeline.at("/lanes/1/spans/0/to").asText()).isEqualTo(SCENARIO.at(60).toString());
        assertThat(timeline.get("changes")).hasSize(4);
        assertThat(timeline.at("/alerts/0/kind").asText()).isEqualTo("FOREIGN_BINDING");
        assertThat(timeline.at("/alerts/0/hint").asText()).contains("svc_enable");
    }

    @Test
    void summarisesTheFleetAndListsEpisodesWithTimeToResolve() throws Exception {
        final JsonNode fleet = get(api, "api/v1/fleet", TOKEN);
        final JsonNode episodes = get(api, "api/v1/alerts/episodes?cluster=prod-eu-1&from=" + SCENARIO.start() + "&to="
                + SCENARIO.at(3600), TOKEN);
        final JsonNode flaps = get(api, "api/v1/top-flaps?from=" + SCENARIO.start() + "&to=" + SCENARIO.at(3600), TOKEN);

        assertThat(fleet.get(0).get("cluster").asText()).isEqualTo("prod-eu-1");
        assertThat(fleet.get(0).get("openCritical").asInt()).isZero();
        assertThat(episodes.get("resolved").asInt()).isEqualTo(1);
        assertThat(episodes.get("resolveSecondsP50").asDouble()).isEqualTo(41.0);
        assertThat(flaps.get(0).get("ip").asText()).isEqualTo(ConflictScenario.VIP);
        assertThat(flaps.get(0).get("changes").asInt()).isEqualTo(4);
    }

    static Stream<Arguments> badRequests() {
        final String vip = "api/v1/clusters/prod-eu-1/vips/";
        return Stream.of(
                Arguments.of("an IP with an octet over 255", vip + "198.51.100.300/owner", "ip", "198.51.100.300"),
                Arguments.of("a host name instead of an IP", vip + "web.example/owner", "ip", "web.example"),
                Arguments.of("from after to", vip + "198.51.100.10/timeline?from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z",
                        "from", "must be before to"),
                Arguments.of("a range over 400 days", vip + "198.51.100.10/timeline?from=2024-01-01T00:00:00Z&to=2026-01-01T00:00:00Z",
                        "to", "at most 400 days"),
                Arguments.of("a time that is not one", vip + "198.51.100.10/owner?at=yesterday", "at", "'yesterday' is not a time"),
                Arguments.of("an unknown cluster", "api/v1/clusters/nowhere-9/vips/198.51.100.10/owner", "cluster",
                        "unknown cluster 'nowhere-9'"),
                Arguments.of("an unknown alert kind", "api/v1/alerts/open?kind=SPLIT_BRAIN", "kind", "unknown alert kind"),
                Arguments.of("a limit out of bounds", "api/v1/top-flaps?limit=100000", "limit", "between 1 and 1000"),
                Arguments.of("a NUL in a query parameter", "api/v1/top-flaps?cluster=prod%00eu", "cluster", "U+0000"),
                Arguments.of("a NUL in a kind", "api/v1/alerts/open?kind=FLAPPING%00", "kind", "U+0000"),
                Arguments.of("a parameter of 2000 characters", "api/v1/top-flaps?cluster=" + "c".repeat(2000), "cluster",
                        "longer than 1024"),
                Arguments.of("999999999 days ago", vip + "198.51.100.10/owner?at=-999999999d", "at",
                        "outside 1970-01-01T00:00:00Z .. 9999-12-31T23:59:59.999Z"),
                Arguments.of("the last second of year 999999999", vip + "198.51.100.10/owner?at=+999999999-12-31T23:59:59Z",
                        "at", "outside 1970"),
                Arguments.of("epoch milliseconds in the year 33658", vip + "198.51.100.10/timeline?from=0&to=999999999999999",
                        "to", "outside 1970"),
                Arguments.of("before 1970", "api/v1/alerts/episodes?from=1969-12-31T00:00:00Z", "from", "outside 1970"));
    }

    @Test
    void unknownRoutesAnswerTheJsonErrorShape() throws Exception {
        for (final String path : new String[] {"api/v1/nothing", "nothing.html", "api/v2/clusters"}) {
            final HttpResponse<String> response = send(api, path, TOKEN);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(response.headers().firstValue("Content-Type")).get().asString().startsWith("application/json");
            assertThat(JSON.readTree(response.body()).get("error").asText()).contains("no such endpoint");
        }
    }

    @Test
    void everyAnswerForbidsSniffingAndFramingAndCarriesAContentSecurityPolicy() throws Exception {
        for (final String path : new String[] {"", "vip.html", "app.js", "api/v1/clusters", "api/v1/nothing"}) {
            final HttpResponse<String> response = send(api, path, TOKEN);
            assertThat(response.headers().firstValue("X-Content-Type-Options")).as(path).contains("nosniff");
            assertThat(response.headers().firstValue("X-Frame-Options")).as(path).contains("DENY");
            assertThat(response.headers().firstValue("Content-Security-Policy")).as(path).get().asString()
                    .contains("default-src 'self'").contains("frame-ancestors 'none'").contains("script-src 'self'");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void rejectsBadInputWithA400NamingTheParameter(final String description, final String path, final String parameter,
            final String message) throws Exception {
        final HttpResponse<String> response = send(api, path, TOKEN);

        assertThat(response.statusCode()).isEqualTo(400);
        final JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("parameter").asText()).isEqualTo(parameter);
        assertThat(body.get("error").asText()).contains(message);
    }

    @Test
    void requiresTheBearerTokenForTheApiButNotForThePage() throws Exception {
        assertThat(send(api, "api/v1/clusters", null).statusCode()).isEqualTo(401);
        assertThat(send(api, "api/v1/clusters", "wrong").statusCode()).isEqualTo(401);
        assertThat(send(api, "api/v1/clusters", TOKEN).statusCode()).isEqualTo(200);
        assertThat(send(api, "", null).statusCode()).isEqualTo(200);
        assertThat(send(api, "openapi.json", null).statusCode()).isEqualTo(200);
        assertThat(send(openApi, "api/v1/clusters", null).statusCode()).isEqualTo(200);
    }

    @Test
    void describesEveryEndpointInOpenApi() throws Exception {
        final JsonNode description = get(api, "openapi.json", null);

        assertThat(description.get("openapi").asText()).startsWith("3.");
        assertThat(description.get("paths").fieldNames()).toIterable().contains(
                "/api/v1/clusters/{cluster}/vips/{ip}/owner", "/api/v1/clusters/{cluster}/vips/{ip}/timeline",
                "/api/v1/top-flaps", "/api/v1/alerts/open", "/api/v1/alerts/episodes", "/api/v1/fleet");
    }

    @Test
    void servesFromTheReadOnlyRoleWhichCannotWrite() {
        assertThatThrownBy(() -> StoreTesting.query(reader, handle -> handle.execute(
                "DELETE FROM ownership_changes")))
                .hasMessageContaining("permission denied");
        assertThat(HistoryQueries.of(reader).clusters()).containsExactly("prod-eu-1");
    }

    private static String vipPath() {
        return "api/v1/clusters/" + SCENARIO.cluster() + "/vips/" + ConflictScenario.VIP;
    }

    private static JsonNode get(final HistoryApi server, final String path, final String token) throws Exception {
        final HttpResponse<String> response = send(server, path, token);
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    static HttpResponse<String> send(final HistoryApi server, final String path, final String token)
            throws IOException, InterruptedException {
        final HttpRequest.Builder request = HttpRequest.newBuilder(server.uri().resolve(path.replace("+", "%2B")))
                .timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    static String encode(final String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static URI uri(final HistoryApi server, final String path) {
        return server.uri().resolve(path);
    }
}
