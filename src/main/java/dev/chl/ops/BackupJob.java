package dev.chl.ops;

import dev.chl.common.Input;
import dev.chl.common.Times;
import dev.chl.model.Kind;
import dev.chl.store.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * An online, consistent copy of the database into {@code <data>/backups/} while writes go on. The copy is written
 * under a temporary name and renamed when complete, so a cancelled or failed backup leaves no half file behind.
 */
public final class BackupJob implements JobKind {
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);

    private final Database database;
    private final Path folder;
    private final Clock clock;

    public BackupJob(Database database, Path folder, Clock clock) {
        this.database = database;
        this.folder = folder;
        this.clock = clock;
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
        Files.createDirectories(folder);
        Path target = folder.resolve("chl-" + NAME.format(clock.instant()) + ".db");
        Path partial = folder.resolve(target.getFileName() + ".partial");
        try {
            database.read(tx -> {
                tx.backupTo(partial);
                return null;
            });
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    @Override
    public JobBody body(Map<String, Object> options) {
        return ctx -> {
            ctx.progress("copying the database", 0, 1);
            ctx.checkpoint();
            Path file = backupNow();
            try {
                ctx.checkpoint();
            } catch (JobStoppedException stopped) {
                Files.deleteIfExists(file);
                throw stopped;
            }
            ctx.progress("copied", 1, 1);
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("file", file.toString());
            summary.put("size_bytes", Files.size(file));
            summary.put("experiences", database.read(tx -> tx.entries().count(Kind.EXPERIENCE)));
            summary.put("manuals", database.read(tx -> tx.entries().count(Kind.MANUAL)));
            summary.put("taken_at", Times.format(clock.instant()));
            return summary;
        };
    }
}
