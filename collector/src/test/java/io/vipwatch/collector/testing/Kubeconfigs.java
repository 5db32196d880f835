package io.vipwatch.collector.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.fabric8.kubernetes.client.KubernetesClient;

/** Kubeconfig files for commands that read the fabric8 mock API server the way they read a real one. */
public final class Kubeconfigs {

    private Kubeconfigs() {
    }

    /** A kubeconfig in {@code dir} whose current context is the mock API server behind {@code client}. */
    public static Path forMockServer(final KubernetesClient client, final Path dir) throws IOException {
        return write(client, dir, false);
    }

    /**
     * A kubeconfig in {@code dir} whose current context points nowhere: only {@code --context mock} reaches the mock
     * API server behind {@code client}.
     */
    public static Path forMockServerNotCurrent(final KubernetesClient client, final Path dir) throws IOException {
        return write(client, dir, true);
    }

    private static Path write(final KubernetesClient client, final Path dir, final boolean nowhereCurrent)
            throws IOException {
        final Path file = Files.createTempFile(Files.createDirectories(dir), "kubeconfig-", ".yaml");
        final List<String> lines = new ArrayList<>(List.of(
                "apiVersion: v1",
                "kind: Config",
                "clusters:",
                "- name: mock",
                "  cluster:",
                "    server: " + client.getMasterUrl().toString().replaceAll("/$", ""),
                "    insecure-skip-tls-verify: true"));
        if (nowhereCurrent) {
            lines.addAll(List.of(
                    "- name: nowhere",
                    "  cluster:",
                    "    server: https://127.0.0.1:1"));
        }
        lines.addAll(List.of(
                "contexts:",
                "- name: mock",
                "  context: {cluster: mock, user: tester, namespace: default}"));
        if (nowhereCurrent) {
            lines.addAll(List.of(
                    "- name: other",
                    "  context: {cluster: nowhere, user: tester}",
                    "current-context: other"));
        } else {
            lines.add("current-context: mock");
        }
        lines.addAll(List.of(
                "users:",
                "- name: tester",
                "  user: {token: test-token}",
                ""));
        Files.writeString(file, String.join("\n", lines));
        return file;
    }
}
