package io.vipwatch.store.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Callable;

import javax.sql.DataSource;

import io.vipwatch.ops.telemetry.Telemetry;
import io.vipwatch.schemas.cli.StopSignal;
import io.vipwatch.store.ApiSettings;
import io.vipwatch.store.HistoryApi;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vipwatch serve}: the HTTP API, its OpenAPI description and the web page. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serves the history: JSON API under /api/v1, /openapi.json, and the web page at /.",
            "Use a read-only database role. With env VIPWATCH_API_TOKEN (or --api-token-file) every /api/ request"
                    + " needs 'Authorization: Bearer <token>'.",
            "Exit codes: 0 stopped, 1 failed, 2 bad usage or configuration."})
public final class ServeCommand implements Callable<Integer> {

    @Mixin
    JdbcOptions jdbc = new JdbcOptions();

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "${env:VIPWATCH_LISTEN:-127.0.0.1:8080}",
            description = "Address to listen on (env VIPWATCH_LISTEN; default ${DEFAULT-VALUE}).")
    String listen;

    @Option(names = "--api-token-file", paramLabel = "FILE", defaultValue = "${env:VIPWATCH_API_TOKEN_FILE}",
            description = "File holding the bearer token (env VIPWATCH_API_TOKEN_FILE); else env VIPWATCH_API_TOKEN; default: no token.")
    Path tokenFile;

    @Spec
    CommandSpec spec;

    public ServeCommand() {
    }

    /** Ready when a connection to the database answers within 2 s. */
    public static Telemetry.Check databaseReachable(final DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(2) ? Telemetry.Check.ok() : Telemetry.Check.notReady("database connection not valid");
        } catch (final SQLException e) {
            return Telemetry.Check.notReady("database unreachable: " + e.getMessage());
        }
    }

    @Override
    public Integer call() {
        final PrintWriter err = spec.commandLine().getErr();
        final ApiSettings settings;
        final DataSource dataSource;
        try {
            final Listen address = Listen.parse("--listen", listen);
            final String token = ApiToken.read(tokenFile, System.getenv());
            dataSource = jdbc.dataSource("vipwatch-serve", 8);
            settings = ApiSettings.of(dataSource).withAddress(address.host(), address.port()).withBearerToken(token);
        } catch (final IllegalArgumentException e) {
            err.println("vipwatch serve: " + e.getMessage());
            return 2;
        }
        final Telemetry telemetry = new Telemetry("serve");
        telemetry.readiness("database", () -> databaseReachable(dataSource));
        try (StopSignal stop = StopSignal.install("serve");
             HistoryApi api = HistoryApi.start(settings, HistoryApi.telemetryRoutes(telemetry))) {
            spec.commandLine().getOut().println("vipwatch history at " + api.uri());
            spec.commandLine().getOut().flush();
            stop.awaitStop();
            return 0;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } catch (final RuntimeException e) {
            err.println("vipwatch serve: " + e.getMessage());
            return 1;
        } finally {
            JdbcOptions.close(dataSource);
        }
    }
}
