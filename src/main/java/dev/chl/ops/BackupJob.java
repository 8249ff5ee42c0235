package dev.chl.ops;

import dev.chl.common.Input;
import dev.chl.common.Times;
import dev.chl.model.Kind;
import dev.chl.store.Database;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntSupplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An online, consistent copy of the database into {@code <data>/backups/} while writes go on. The copy is written
 * under a temporary name and renamed when complete, so a cancelled or failed backup leaves no half file behind. After
 * each new backup only the newest {@code kept} ones stay (a setting), so scheduled backups and the one every import
 * takes cannot fill the disk; files in that folder that are not CHL backups are never touched.
 */
public final class BackupJob implements JobKind {
    private static final Logger LOG = LoggerFactory.getLogger(BackupJob.class);
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);
    /** The names {@link #backupNow} gives; their order by name is their order in time. */
    private static final Pattern BACKUP_FILE = Pattern.compile("chl-\\d{8}-\\d{6}-\\d{3}\\.db");
    /** A copy {@link #copy} was writing when the process died, and the journal SQLite keeps beside it meanwhile. */
    private static final Pattern PARTIAL_FILE = Pattern.compile("chl-\\d{8}-\\d{6}-\\d{3}\\.db\\.partial(-journal|-wal|-shm)?");

    private final Database database;
    private final Path folder;
    private final Clock clock;
    private final IntSupplier kept;

    /** @param kept how many backups to keep, read at each backup (the retention setting) */
    public BackupJob(Database database, Path folder, Clock clock, IntSupplier kept) {
        this.database = database;
        this.folder = folder;
        this.clock = clock;
        this.kept = kept;
    }

    @Override
    public JobType type() {
        return JobType.BACKUP;
    }

    @Override
    public Map<String, Object> options(Map<String, Object> requested) {
        new Input(requested).allowOnly(Set.of()).check();
        return Map.of();
    }

    /** Takes a backup now, outside a job (the import takes one before applying); returns the file. */
    public Path backupNow() throws Exception {
        Path file = copy(clock.instant(), null);
        pruneOlderThanNewest(kept.getAsInt());
        return file;
    }

    /**
     * The copy is taken while jobs run (this backup's own, an import about to apply): restored, it would show them
     * running, and the start-up recovery would call them interrupted and offer to run them again. In the copy they end
     * as what they are there: this backup's job succeeded (the copy is its work), any other stopped at the copy.
     */
    private static void settleJobsInCopy(Path copy, String ownJobId, String name, Instant at) {
        String now = Times.format(at);
        Database.writeSqliteFile(copy, tx -> {
            for (dev.chl.store.JobRow job : tx.jobs().unfinished()) {
                if (job.jobId().equals(ownJobId)) {
                    tx.jobs().finish(job.jobId(), JobStatus.SUCCEEDED.wire(), now, "{\"note\":\"this database is the backup this job took ("
                            + name + ")\"}", null);
                } else {
                    tx.jobs().finish(job.jobId(), JobStatus.FAILED.wire(), now, null, "this database is the backup " + name
                            + ", copied while this job ran: what the job did after the copy is not in it");
                }
            }
            tx.locks().deleteAll();
        });
    }

    private Path copy(Instant at, String ownJobId) throws Exception {
        Files.createDirectories(folder);
        Path target = folder.resolve("chl-" + NAME.format(at) + ".db");
        Path partial = folder.resolve(target.getFileName() + ".partial");
        try {
            database.read(tx -> {
                tx.backupTo(partial);
                return null;
            });
            settleJobsInCopy(partial, ownJobId, target.getFileName().toString(), at);
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    /**
     * Deletes the partial copies a previous process left (killed mid-backup: the {@code finally} that deletes them
     * never ran). Run at start-up, before any job; only files named like this class's own partial copies are touched.
     */
    public void clearLeftovers() {
        dev.chl.common.Leftovers.clear(folder, PARTIAL_FILE, dev.chl.common.Leftovers.Shape.FILES, "a partial backup");
    }

    /**
     * Deletes all but the newest {@code keep} backups; returns the names deleted. Housekeeping only: a file that cannot
     * be listed or deleted is logged and left, never failing the backup (or the import) that has just succeeded.
     */
    private List<String> pruneOlderThanNewest(int keep) {
        List<Path> backups;
        try (Stream<Path> files = Files.list(folder)) {
            backups = files.filter(f -> BACKUP_FILE.matcher(f.getFileName().toString()).matches())
                    .sorted(Comparator.comparing((Path f) -> f.getFileName().toString()).reversed()).toList();
        } catch (IOException e) {
            LOG.warn("could not list {} to delete old backups", folder, e);
            return List.of();
        }
        List<String> deleted = new ArrayList<>();
        for (Path old : backups.subList(Math.min(keep, backups.size()), backups.size())) {
            try {
                if (Files.deleteIfExists(old)) {
                    deleted.add(old.getFileName().toString());
                }
            } catch (IOException e) {
                LOG.warn("could not delete the old backup {}", old, e);
            }
        }
        if (!deleted.isEmpty()) {
            LOG.info("deleted {} old backup(s), keeping the newest {}: {}", deleted.size(), keep, deleted);
        }
        return deleted;
    }

    @Override
    public JobBody body(Map<String, Object> options) {
        return ctx -> {
            ctx.progress("copying the database", 0, 1);
            ctx.checkpoint();
            Instant at = clock.instant();
            Path file = copy(at, ctx.jobId());
            try {
                ctx.checkpoint();
            } catch (JobStoppedException stopped) {
                Files.deleteIfExists(file);
                throw stopped;
            }
            // Only once the new backup stands: a cancelled one must not have cost an old one.
            int keep = kept.getAsInt(); // at least 1: the setting is validated, and RetentionSettings defaults a missing one
            List<String> deleted = pruneOlderThanNewest(keep);
            ctx.progress("copied", 1, 1);
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("file", file.toString());
            summary.put("size_bytes", Files.size(file));
            // What the file holds, counted in the file: the live database has moved on since the copy.
            summary.putAll(Database.readSqliteFile(file, tx -> Map.of("experiences", tx.entries().count(Kind.EXPERIENCE),
                    "manuals", tx.entries().count(Kind.MANUAL))));
            summary.put("taken_at", Times.format(at));
            summary.put("backups_kept", keep);
            summary.put("old_backups_deleted", deleted);
            return summary;
        };
    }
}
