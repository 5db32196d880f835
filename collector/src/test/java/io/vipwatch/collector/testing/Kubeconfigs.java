package io.vipwatch.collector.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.fabric8.kubernetes.client.KubernetesClient;

/** Kubeconfig files for commands that read the fabric8 mock API server the way they read a real one. */
public final class Kubeconfigs {

    private Kubeconfigs() {
    }

    /** A kubeconfig in {@code dir} whose current context is the mock API server behind {@code client}. */
    public static Path forMockServer(final KubernetesClient client, final Path dir) throws IOException {
        final Path file = Files.createTempFile(Files.createDirectories(dir), "kubeconfig-", ".yaml");
        Files.writeString(file, String.join("\n",
                "apiVersion: v1",
                "kind: Config",
                "clusters:",
                "- name: mock",
                "  cluster:",
                "    server: " + client.getMasterUrl().toString().replaceAll("/$", ""),
                "    insecure-skip-tls-verify: true",
                "contexts:",
                "- name: mock",
                "  context: {cluster: mock, user: tester, namespace: default}",
                "current-context: mock",
                "users:",
                "- name: tester",
                "  user: {token: test-token}",
                ""));
        return file;
    }
}
