package io.vipwatch.collector.probe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

import io.vipwatch.schemas.Ips;

/**
 * A fixed set of VIPs: {@code --probe-vips 198.51.100.10,2001:db8::10} or {@code --probe-vips @FILE} (one IP a line,
 * {@code #} comments, blank lines ignored). For {@code node-agent --probe --output -}, which has no Kafka to learn
 * the set from.
 */
public final class StaticVips implements VipSource {

    private final Set<String> vips;
    private final String origin;

    private StaticVips(final Set<String> vips, final String origin) {
        this.vips = Set.copyOf(vips);
        this.origin = origin;
    }

    /** @throws IllegalArgumentException naming the file and line, or the list entry, that is no IP */
    public static StaticVips parse(final String text) {
        final Set<String> vips = new TreeSet<>();
        if (text.startsWith("@")) {
            final Path file = Path.of(text.substring(1));
            final List<String> lines;
            try {
                lines = Files.readAllLines(file);
            } catch (final IOException e) {
                throw new IllegalArgumentException("--probe-vips " + text + ": cannot read " + file + ": " + e, e);
            }
            for (int i = 0; i < lines.size(); i++) {
                final int hash = lines.get(i).indexOf('#');
                final String line = (hash >= 0 ? lines.get(i).substring(0, hash) : lines.get(i)).strip();
                if (!line.isEmpty()) {
                    vips.add(ip(line, file + ":" + (i + 1)));
                }
            }
            return new StaticVips(vips, file.toString());
        }
        for (final String entry : text.split(",")) {
            if (!entry.isBlank()) {
                vips.add(ip(entry.strip(), "--probe-vips"));
            }
        }
        return new StaticVips(vips, "--probe-vips");
    }

    private static String ip(final String text, final String where) {
        try {
            return Ips.canonical(text);
        } catch (final IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": '" + text + "' is not an IP address", e);
        }
    }

    public Set<String> vips() {
        return vips;
    }

    @Override
    public void start(final Consumer<Set<String>> onChange) {
        onChange.accept(vips);
    }

    @Override
    public String describe() {
        return vips.size() + " VIPs from " + origin;
    }

    @Override
    public void close() {
    }
}
