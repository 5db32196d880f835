package io.vipwatch.collector.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.client.utils.Serialization;

/** The manifests in deploy/kubernetes/ of this repository, parsed with fabric8's model. */
final class DeployManifests {

    /** deploy/kubernetes, from the collector module's directory (where Maven runs the tests). */
    static final Path DIR = Path.of("..", "deploy", "kubernetes");

    private DeployManifests() {
    }

    static List<HasMetadata> load(final String file) {
        try (InputStream in = Files.newInputStream(DIR.resolve(file))) {
            final Object parsed = Serialization.unmarshal(in);
            final List<HasMetadata> objects = new ArrayList<>();
            if (parsed instanceof KubernetesList list) {
                objects.addAll(list.getItems());
            } else if (parsed instanceof List<?> items) {
                items.forEach(item -> objects.add((HasMetadata) item));
            } else {
                objects.add((HasMetadata) parsed);
            }
            return objects;
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static <T extends HasMetadata> T only(final String file, final Class<T> type) {
        final List<T> found = load(file).stream().filter(type::isInstance).map(type::cast).toList();
        if (found.size() != 1) {
            throw new AssertionError(file + " holds " + found.size() + " " + type.getSimpleName() + " objects, not one");
        }
        return found.get(0);
    }
}
