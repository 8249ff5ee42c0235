package dev.chl.search;

import dev.chl.audit.AuditLog;
import dev.chl.common.ConflictException;
import dev.chl.index.IndexDamagedException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.chl.common.ValidationException;
import dev.chl.model.Actor;
import java.util.Map;
import dev.chl.index.LuceneIndex;
import dev.chl.workers.EmbeddingWorkers;
import dev.chl.workers.PauseToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Snapshot download and upload of the search index. A download is a zip of one consistent commit; an upload is
 * unpacked into a scratch folder, validated (a Lucene index for this model and dimension, checksums intact), and only
 * then swapped in with the workers paused and the index lock held — a bad upload changes nothing, and an upload never
 * races a rebuild or an import.
 */
public final class IndexSnapshots {
    private static final Logger LOG = LoggerFactory.getLogger(IndexSnapshots.class);
    public static final long MAX_UNPACKED_BYTES = 4L * 1024 * 1024 * 1024;
    private static final int MAX_FILES = 10_000;
    private static final Pattern LUCENE_FILE = Pattern.compile("^[A-Za-z0-9_.\\-]{1,100}$");
    /** The scratch folders {@link #newScratch} makes (a prefix and the digits Files.createTempDirectory adds). */
    private static final Pattern SCRATCH_FOLDER = Pattern.compile("(download|upload)-\\d+");
    static final String INSTALLING = "installing an index snapshot";

    /** The operations' index lock, as the snapshots need it (ops depends on search, not the other way round). */
    @FunctionalInterface
    public interface IndexLock {
        /** Takes the index lock for {@code activity}; throws a ConflictException naming the job holding it. */
        Held take(String activity);

        /** The lock, held until closed. */
        interface Held extends AutoCloseable {
            @Override
            void close();
        }
    }

    private final IndexService indexService;
    private final EmbeddingWorkers workers;
    private final AuditLog audit;
    private final Path scratch;
    private final IndexLock indexLock;

    public IndexSnapshots(IndexService indexService, EmbeddingWorkers workers, AuditLog audit, Path scratch, IndexLock indexLock) {
        this.audit = audit;
        this.indexService = indexService;
        this.workers = workers;
        this.scratch = scratch;
        this.indexLock = indexLock;
    }

    /**
     * Copies the committed index into scratch, before a byte of the answer is written: a failure here (an index whose
     * files are gone) is still a clean problem response, not a zip cut short by an error document.
     */
    public Download download() {
        Path folder = newScratch("download");
        try {
            return new Download(folder, indexService.index().copyCommitTo(folder));
        } catch (IndexDamagedException e) {
            deleteQuietly(folder);
            throw indexService.unavailable(e);
        } catch (RuntimeException e) {
            deleteQuietly(folder);
            throw e;
        }
    }

    /** A copy of one commit, ready to stream as a zip; closing deletes the copy. */
    public static final class Download implements AutoCloseable {
        private final Path folder;
        private final List<Path> files;

        private Download(Path folder, List<Path> files) {
            this.folder = folder;
            this.files = files;
        }

        /**
         * Writes the zip. A failure part-way leaves it without its end record (the zip is not closed), so the cut-off
         * download cannot pass for a whole one.
         */
        public void writeTo(OutputStream out) throws IOException {
            ZipOutputStream zip = new ZipOutputStream(out);
            for (Path file : files) {
                zip.putNextEntry(new ZipEntry(file.getFileName().toString()));
                Files.copy(file, zip);
                zip.closeEntry();
            }
            zip.close();
        }

        @Override
        public void close() {
            deleteQuietly(folder);
        }
    }

    /**
     * What an upload did: {@code disagreement} says why the installed index disagrees with the database (null when it
     * agrees), and {@code rebuildJobId} names the rebuild started to heal it (null when none was needed or could start).
     */
    public record Installed(String disagreement, String rebuildJobId) {}

    /**
     * Validates and swaps in an uploaded snapshot, then runs the start-up check on it: a snapshot that disagrees with the
     * database (another library's, or an old one) would leave search silently incomplete — its missing entries are
     * "embedded" in the database, so no worker would add them back — so the rebuild start-up would start is started.
     * Refused with 409 naming the job while a rebuild or an import holds the index lock: a rebuild's swap would drop
     * the snapshot, and the snapshot's swap would drop what the rebuild records meanwhile.
     */
    public Installed upload(Actor actor, InputStream in) throws InterruptedException {
        String disagreement;
        try (IndexLock.Held held = indexLock.take(INSTALLING)) {
            disagreement = install(actor, in);
        }
        // After the lock is given back: the rebuild needs the same lock.
        String job = disagreement == null ? null
                : indexService.heal("the installed snapshot disagrees with the database: " + disagreement).orElse(null);
        return new Installed(disagreement, job);
    }

    private String install(Actor actor, InputStream in) throws InterruptedException {
        Path folder = newScratch("upload");
        try {
            unpack(in, folder);
            LuceneIndex index = indexService.index();
            String problem = index.validateFolder(folder);
            if (problem != null) {
                throw new ValidationException("file", problem);
            }
            try (PauseToken paused = workers.quiesce()) {
                index.replaceWith(folder);
            } catch (IllegalStateException e) {
                // The index lock keeps rebuilds out; this is the index's own guard, should one start another way.
                throw new ConflictException("the snapshot was not installed: " + e.getMessage() + "; try again once it has finished");
            }
            String disagreement = indexService.disagreementByEntry();
            Map<String, Object> details = new java.util.LinkedHashMap<>();
            details.put("documents", index.stats().experiences() + index.stats().manuals());
            details.put("disagreement", disagreement);
            audit.record(actor, "index.snapshot_install", details);
            return disagreement;
        } finally {
            deleteQuietly(folder);
        }
    }

    /**
     * Deletes scratch folders a previous process left behind (killed mid-download or mid-upload); run at start-up,
     * before any request. Only folders named like this class's own are touched.
     */
    public void clearLeftovers() {
        dev.chl.common.Leftovers.clear(scratch, SCRATCH_FOLDER, dev.chl.common.Leftovers.Shape.FOLDERS, "a snapshot scratch folder");
    }

    private void unpack(InputStream in, Path folder) {
        long total = 0;
        int files = 0;
        try (ZipInputStream zip = new ZipInputStream(in, StandardCharsets.UTF_8)) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                String name = entry.getName();
                // "." and ".." match the character class but name folders (a 500 instead of a 422 before).
                if (entry.isDirectory() || !LUCENE_FILE.matcher(name).matches() || name.startsWith(".")) {
                    throw new ValidationException("file", "the snapshot holds an unexpected entry '" + name
                            + "'; upload a zip made by GET /api/v1/index/snapshot");
                }
                if (++files > MAX_FILES) {
                    throw new ValidationException("file", "the snapshot holds more than " + MAX_FILES + " files");
                }
                try (OutputStream out = Files.newOutputStream(folder.resolve(name))) {
                    byte[] buffer = new byte[64 * 1024];
                    int n;
                    while ((n = zip.read(buffer)) > 0) {
                        total += n;
                        if (total > MAX_UNPACKED_BYTES) {
                            throw new ValidationException("file", "the snapshot unpacks to more than 4 GiB");
                        }
                        out.write(buffer, 0, n);
                    }
                }
            }
        } catch (java.util.zip.ZipException e) {
            throw new ValidationException("file", "the upload is not a readable zip (" + e.getMessage() + ")");
        } catch (java.io.EOFException e) {
            // A truncated zip ends inside an entry's data: the upload's fault, not the server's.
            throw new ValidationException("file", "the upload is truncated (" + e.getMessage() + "); upload the whole zip made by "
                    + "GET /api/v1/index/snapshot");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (files == 0) {
            throw new ValidationException("file", "the upload is empty or not a zip; upload a zip made by GET /api/v1/index/snapshot");
        }
    }

    private Path newScratch(String purpose) {
        try {
            Files.createDirectories(scratch);
            return Files.createTempDirectory(scratch, purpose + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path folder) {
        try (var walk = Files.walk(folder)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // a moved-in folder is gone already; leftovers in scratch are cleared at the next start (clearLeftovers)
        }
    }
}
