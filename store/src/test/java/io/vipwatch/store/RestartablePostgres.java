package io.vipwatch.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.postgresql.ds.PGSimpleDataSource;

import io.vipwatch.schemas.avro.Alert;
import io.vipwatch.schemas.avro.AlertKind;
import io.vipwatch.schemas.avro.AlertState;
import io.vipwatch.schemas.avro.OwnershipChange;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL of one test's own (stopping the shared one would break other test classes) that goes away and
 * comes back on the same port and data, and the records the outage tests send through it: {@link PostgresOutageIT},
 * {@link PostgresLongOutageIT}.
 */
final class RestartablePostgres implements AutoCloseable {

    static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

    private final Path dataDir;
    private final int port;
    private final PGSimpleDataSource dataSource = new PGSimpleDataSource();
    private EmbeddedPostgres server;

    private RestartablePostgres(final Path dataDir, final int port) {
        this.dataDir = dataDir;
        this.port = port;
        dataSource.setURL("jdbc:postgresql://localhost:" + port + "/postgres");
        dataSource.setUser("postgres");
    }

    /** Starts a fresh server in a new temp directory and migrates it. */
    static RestartablePostgres start(final String prefix) throws IOException {
        final Path dataDir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), prefix);
        final RestartablePostgres postgres = new RestartablePostgres(dataDir, freePort());
        postgres.restart();
        Migrations.migrate(postgres.dataSource);
        return postgres;
    }

    DataSource dataSource() {
        return dataSource;
    }

    /** The outage begins. */
    void stop() throws IOException {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** The outage ends: the same data on the same port. */
    void restart() throws IOException {
        server = EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false).setPort(port)
                .setPGStartupWait(Duration.ofSeconds(60)).start();
    }

    @Override
    public void close() throws IOException {
        stop();
    }

    /** Ownership changes {@code from} (inclusive) to {@code to} of 50 VIPs of {@code cluster}, one a second. */
    static List<OwnershipChange> changes(final String cluster, final int from, final int to) {
        final List<OwnershipChange> changes = new ArrayList<>();
        for (int i = from; i < to; i++) {
            final String ip = "198.51.100." + (i % 50 + 1);
            changes.add(Fixtures.change(cluster, ip, T0.plusSeconds(i), List.of("worker-" + (i % 2 + 1)),
                    List.of("worker-" + ((i + 1) % 2 + 1)), "default/web"));
        }
        return changes;
    }

    /** One FLAPPING episode of {@code cluster}: OPENED, then RESOLVED 10 minutes later. */
    static List<Alert> flappingEpisode(final String cluster) {
        return List.of(
                Fixtures.alert(AlertState.OPENED, AlertKind.FLAPPING, cluster, "198.51.100.7", T0, T0,
                        List.of("worker-1", "worker-2"), null),
                Fixtures.alert(AlertState.RESOLVED, AlertKind.FLAPPING, cluster, "198.51.100.7", T0,
                        T0.plusSeconds(600), List.of("worker-1", "worker-2"), null));
    }

    /** The 1600 changes and the episode's 2 alerts are each stored once, and the offsets cover every record. */
    static void assertStoredOnce(final DataSource dataSource) {
        assertThat(StoreTesting.count(dataSource, "SELECT count(DISTINCT event_id) FROM ownership_changes"))
                .isEqualTo(1600);
        assertThat(StoreTesting.count(dataSource, "SELECT count(*) FROM alert_transitions")).isEqualTo(2);
        assertThat(StoreTesting.count(dataSource, "SELECT coalesce(sum(next_offset), 0) FROM kafka_offsets"))
                .isEqualTo(1602);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
