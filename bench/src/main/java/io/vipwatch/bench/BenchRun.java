package io.vipwatch.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/** What every sub-benchmark of one {@code vipwatch bench} run shares. */
final class BenchRun {

    private final BenchKafka kafka;
    private final Sizes sizes;
    private final Path out;
    private final String id;
    private final PrintWriter log;
    private final AtomicInteger names = new AtomicInteger();

    BenchRun(final BenchKafka kafka, final Sizes sizes, final Path out, final String id, final PrintWriter log) {
        this.kafka = kafka;
        this.sizes = sizes;
        this.out = out;
        this.id = id;
        this.log = log;
    }

    BenchKafka kafka() {
        return kafka;
    }

    Sizes sizes() {
        return sizes;
    }

    /** {@code --out}: the JSON files. */
    Path out() {
        return out;
    }

    /** A fresh name under this run: topic prefixes, application ids, directories never repeat. */
    String fresh(final String what) {
        return "bench-" + id + "-" + what + "-" + names.incrementAndGet();
    }

    /** A fresh scratch directory under {@code --out}/work. */
    Path scratch(final String what) {
        try {
            return Files.createDirectories(out.resolve("work").resolve(fresh(what)));
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Progress for the operator (standard error), one line each. */
    void progress(final String format, final Object... args) {
        log.println("bench: " + String.format(Locale.ROOT, format, args));
        log.flush();
    }
}
