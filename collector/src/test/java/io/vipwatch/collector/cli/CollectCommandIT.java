package io.vipwatch.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

/** {@code collect} facing an API server it cannot reach: exit 1 at start, naming the server. */
class CollectCommandIT {

    @Test
    void exitsWithOneWhenTheApiServerCannotBeReached() throws Exception {
        final Path dir = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
        final Path kubeconfig = Files.createTempFile(dir, "kubeconfig-", ".yaml");
        Files.writeString(kubeconfig, String.join("\n",
                "apiVersion: v1",
                "kind: Config",
                "clusters:",
                "- name: nowhere",
                "  cluster: {server: 'https://127.0.0.1:1', insecure-skip-tls-verify: true}",
                "contexts:",
                "- name: nowhere",
                "  context: {cluster: nowhere, user: tester}",
                "current-context: nowhere",
                "users:",
                "- name: tester",
                "  user: {token: test-token}",
                ""));
        final StringWriter out = new StringWriter();
        final CommandLine line = new CommandLine(new CollectCommand());
        line.setOut(new PrintWriter(out, true));

        final int exit = line.execute("--cluster", "c1", "--kubeconfig", kubeconfig.toString(), "--output",
                dir.resolve("unreachable.jsonl").toString());

        assertThat(exit).isEqualTo(1);
    }
}
