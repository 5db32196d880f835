package io.vipwatch.collector.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;

import io.fabric8.kubernetes.client.utils.Serialization;

/** The upstream manifests copied into src/test/resources/fixtures (provenance in its README.md). */
public final class Fixtures {

    private Fixtures() {
    }

    /** The document of the given kind in a multi-document fixture file. */
    public static <T extends HasMetadata> T loadKind(final String file, final Class<T> type) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + file)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + file);
            }
            final Object parsed = Serialization.unmarshal(in);
            final List<?> items = parsed instanceof KubernetesList list ? list.getItems()
                    : parsed instanceof List<?> l ? l : List.of(parsed);
            return items.stream().filter(type::isInstance).map(type::cast).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no " + type.getSimpleName() + " in " + file));
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses one fixture file (YAML, one document) into the given type. */
    public static <T> T load(final String file, final Class<T> type) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + file)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + file);
            }
            return Serialization.unmarshal(in, type);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
