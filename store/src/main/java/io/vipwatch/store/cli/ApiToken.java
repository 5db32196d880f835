package io.vipwatch.store.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The bearer token of the HTTP API: env {@code VIPWATCH_API_TOKEN} or a file; never a flag, never logged. */
final class ApiToken {

    static final String ENV = "VIPWATCH_API_TOKEN";

    private ApiToken() {
    }

    static String read(final Path file, final Map<String, String> environment) {
        if (file != null) {
            try {
                final String token = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (token.isEmpty()) {
                    throw new IllegalArgumentException("--api-token-file " + file + " is empty");
                }
                return token;
            } catch (final IOException e) {
                throw new IllegalArgumentException("--api-token-file " + file + ": cannot read: " + e.getMessage(), e);
            }
        }
        final String token = environment.get(ENV);
        return token == null || token.isBlank() ? null : token.strip();
    }
}
