package io.vipwatch.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** Temp directories for the embedded servers' data, and the one recursive delete of the project (demo, tests). */
public final class Directories {

    private Directories() {
    }

    /** Creates a fresh directory under {@code java.io.tmpdir} (target/tmp in the tests). */
    public static Path createTemp(final String prefix) {
        try {
            final Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
            Files.createDirectories(tmp);
            return Files.createTempDirectory(tmp, prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a temp directory for " + prefix, e);
        }
    }

    /** Deletes a directory tree; a missing tree is fine. */
    public static void deleteRecursively(final Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(final Path file, final BasicFileAttributes attrs) throws IOException {
                deleteIfPresent(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(final Path file, final IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(final Path dir, final IOException e) throws IOException {
                if (e != null && !(e instanceof NoSuchFileException)) {
                    throw e;
                }
                deleteIfPresent(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void deleteIfPresent(final Path path) throws IOException {
        Files.deleteIfExists(path);
    }
}
