package io.vipwatch.store.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import picocli.CommandLine;

/** Bad configuration fails at start with exit code 2 and a message naming the key. */
class CommandConfigTest {

    static Stream<Arguments> badConfigurations() {
        return Stream.of(
                Arguments.of("store without a broker", new StoreCommand(), new String[] {"--jdbc-url", "jdbc:postgresql://h/db"},
                        "--bootstrap-servers"),
                Arguments.of("store without a database", new StoreCommand(), new String[] {"--bootstrap-servers", "h:9092"},
                        "--jdbc-url"),
                Arguments.of("store with a JDBC URL of another database", new StoreCommand(),
                        new String[] {"--bootstrap-servers", "h:9092", "--jdbc-url", "jdbc:mysql://h/db"}, "--jdbc-url"),
                Arguments.of("store with a retention that is not a duration", new StoreCommand(),
                        new String[] {"--retention", "soon"}, "--retention"),
                Arguments.of("store with a bad --serve address", new StoreCommand(),
                        new String[] {"--bootstrap-servers", "h:9092", "--jdbc-url", "jdbc:postgresql://h/db", "--serve", "x:y"},
                        "--serve"),
                Arguments.of("store with no records per poll", new StoreCommand(),
                        new String[] {"--bootstrap-servers", "h:9092", "--jdbc-url", "jdbc:postgresql://h/db",
                            "--max-poll-records", "0"}, "--max-poll-records"),
                Arguments.of("serve with a bad --listen", new ServeCommand(), new String[] {"--listen", "here"}, "--listen"),
                Arguments.of("serve with a missing token file", new ServeCommand(),
                        new String[] {"--api-token-file", "/nonexistent/token"}, "--api-token-file"),
                Arguments.of("serve without a database", new ServeCommand(), new String[] {"--listen", "127.0.0.1:0"},
                        "--jdbc-url"),
                Arguments.of("history with an API that is not http", new HistoryCommand(),
                        new String[] {"fleet", "--api", "ftp://x"}, "--api"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badConfigurations")
    void failsAtStartNamingTheKey(final String description, final Object command, final String[] args,
            final String key) {
        final StringWriter err = new StringWriter();
        final CommandLine commandLine = new CommandLine(command);
        commandLine.setErr(new PrintWriter(err));
        commandLine.setOut(new PrintWriter(new StringWriter()));

        final int exit = commandLine.execute(args);

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains(key);
    }
}
