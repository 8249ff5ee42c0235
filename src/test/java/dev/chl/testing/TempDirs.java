package dev.chl.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Temporary folders of tests and benchmarks, removed when done: a benchmark's data directory can hold gigabytes. */
public final class TempDirs {
    private TempDirs() {}

    /** Deletes {@code dir} and everything in it, best effort: what stays (a file still held open) is left to the OS. */
    public static void deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // left for the OS's temp cleaning
        }
    }
}
