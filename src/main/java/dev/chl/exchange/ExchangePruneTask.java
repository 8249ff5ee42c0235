package dev.chl.exchange;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Background task: deletes uploaded workbooks a day after they were uploaded, and export files once they are a week
 * old or beyond the newest {@value #EXPORTS_KEPT}. Both folders otherwise grew without bound — an export of a large
 * library is megabytes and is made every review cycle. An upload is used by the imports started soon after it (a dry
 * run, then the apply); a download of a pruned export answers 404 "run the export again". Only CHL's own file names
 * are touched.
 */
public final class ExchangePruneTask implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ExchangePruneTask.class);
    static final Duration UPLOADS_KEPT_FOR = Duration.ofHours(24);
    static final Duration EXPORTS_KEPT_FOR = Duration.ofDays(7);
    static final int EXPORTS_KEPT = 20;

    private final Path uploads;
    private final Path exports;
    private final Clock clock;

    public ExchangePruneTask(Path uploads, Path exports, Clock clock) {
        this.uploads = uploads;
        this.exports = exports;
        this.clock = clock;
    }

    @Override
    public void run() {
        Instant now = clock.instant();
        for (Path upload : files(uploads, Uploads.FILE)) {
            // By the bytes' age, with its description: one without the other named an upload that no longer exists.
            if (deleteIfOlder(upload, now.minus(UPLOADS_KEPT_FOR))) {
                String name = upload.getFileName().toString();
                deleteIfOlder(upload.resolveSibling(name.substring(0, name.length() - ".bin".length()) + ".json"), Instant.MAX);
            }
        }
        List<Path> newestFirst = files(exports, ExchangeService.EXPORT_FILE).stream()
                .sorted(Comparator.comparing((Path f) -> f.getFileName().toString()).reversed()).toList();
        for (int i = 0; i < newestFirst.size(); i++) {
            // beyond the newest EXPORTS_KEPT a file goes whatever its age
            deleteIfOlder(newestFirst.get(i), i < EXPORTS_KEPT ? now.minus(EXPORTS_KEPT_FOR) : Instant.MAX);
        }
    }

    private static List<Path> files(Path folder, Pattern names) {
        try {
            return dev.chl.common.Leftovers.owned(folder, names, dev.chl.common.Leftovers.Shape.FILES);
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("could not list {} to delete old files", folder, e);
            return List.of();
        }
    }

    /**
     * Deletes {@code file} if it was last written before {@code cutoff}; whether it did. Housekeeping only: a file that
     * cannot be read or deleted is logged and left for the next run.
     */
    private static boolean deleteIfOlder(Path file, Instant cutoff) {
        try {
            if (Files.exists(file) && Files.getLastModifiedTime(file).toInstant().isBefore(cutoff) && Files.deleteIfExists(file)) {
                LOG.info("deleted {} (retention of uploads and exports)", file.getFileName());
                return true;
            }
        } catch (IOException e) {
            LOG.warn("could not delete {}", file, e);
        }
        return false;
    }
}
