package dev.chl.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a killed process left half-written (a partial backup, export or key file, a snapshot's scratch folder): the
 * {@code finally} that deletes it never ran. Cleared at start-up, before any job or request, one data directory per
 * process. Only names the owner's own pattern matches are touched, never links; anything else in the folder stays.
 */
public final class Leftovers {
    private static final Logger LOG = LoggerFactory.getLogger(Leftovers.class);

    private Leftovers() {}

    /** What an owner leaves behind: single files, or folders with what they hold. */
    public enum Shape { FILES, FOLDERS }

    /** Deletes the files or folders ({@code shape}) directly in {@code folder} whose names match {@code names}. */
    public static void clear(Path folder, Pattern names, Shape shape, String what) {
        try {
            for (Path child : owned(folder, names, shape)) {
                delete(child);
                LOG.info("deleted {}, {} left by an earlier run", child, what);
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("could not clear {} leftovers in {}", what, folder, e);
        }
    }

    /**
     * CHL's own files or folders ({@code shape}) directly in {@code folder}: the names {@code names} matches, never
     * links; none when the folder does not exist.
     */
    public static java.util.List<Path> owned(Path folder, Pattern names, Shape shape) throws IOException {
        if (!Files.isDirectory(folder)) {
            return java.util.List.of();
        }
        try (Stream<Path> children = Files.list(folder)) {
            return children.filter(c -> names.matcher(c.getFileName().toString()).matches()
                    && (shape == Shape.FOLDERS ? Files.isDirectory(c, LinkOption.NOFOLLOW_LINKS)
                    : Files.isRegularFile(c, LinkOption.NOFOLLOW_LINKS))).toList();
        }
    }

    private static void delete(Path path) throws IOException {
        if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            Files.deleteIfExists(path);
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
