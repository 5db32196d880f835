package io.vipwatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import picocli.CommandLine;

/** No password or token given on the command line comes back in an error message (issue 12). */
class NoSecretInMessagesTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "an option the role does not have      | streams --jdbc-password=hunter2-secret",
        "a misspelt password option            | store --jdbc-pasword=hunter2-secret",
        "a misspelt option and a separate value | store --jdbc-pasword hunter2-secret",
        "credentials in the API URL            | history --api http://alice:hunter2-secret@127.0.0.1:1/ clusters",
        "an API URL that is not one            | history --api http://alice:hunter2-secret@[bad clusters",
        "a password in a JDBC URL              | history --jdbc-url jdbc:postgresql://127.0.0.1:1/x?password=hunter2-secret clusters",
    })
    void theSecretIsNotEchoed(final String description, final String commandLine) {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CommandLine vipwatch = Main.commandLine();
        vipwatch.setOut(new PrintWriter(out));
        vipwatch.setErr(new PrintWriter(err));

        final int code = vipwatch.execute(commandLine.split(" "));

        assertThat(code).isNotZero();
        assertThat(err.toString()).isNotBlank().doesNotContain("hunter2");
        assertThat(out.toString()).doesNotContain("hunter2");
    }
}
