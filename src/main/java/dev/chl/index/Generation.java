package dev.chl.index;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.io.FileNotFoundException;
import java.nio.file.NoSuchFileException;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.codecs.CodecUtil;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.FilterLeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SegmentReader;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.KeepOnlyLastCommitDeletionPolicy;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.SnapshotDeletionPolicy;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/** One index folder with its writer and near-real-time searchers. */
final class Generation implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Generation.class);
    final Path path;
    final Directory dir;
    final IndexWriter writer;
    final SearcherManager manager;
    private final SnapshotDeletionPolicy snapshots;

    private Generation(Path path, Directory dir, IndexWriter writer, SnapshotDeletionPolicy snapshots) throws IOException {
        this.path = path;
        this.dir = dir;
        this.writer = writer;
        this.snapshots = snapshots;
        this.manager = new SearcherManager(writer, null);
    }

    /** Opens a folder; unless {@code create}, it must already hold a readable index. */
    static Generation open(Path path, Analyzer analyzer, boolean create) throws IOException {
        Files.createDirectories(path);
        Directory dir = FSDirectory.open(path);
        try {
            if (!create) {
                if (!DirectoryReader.indexExists(dir)) {
                    throw new IOException("no index in " + path);
                }
                // Before any file is read: another process writing this index (merging, deleting files) would make the
                // checks below fail as damage, and the index would be replaced under that process.
                dir.obtainLock(IndexWriter.WRITE_LOCK_NAME).close();
                // Opening reads headers and footers only; a flipped byte inside a file showed up later, as a 500
                // on every search that touched it.
                String damage = verify(dir, SegmentInfos.readLatestCommit(dir).files(true));
                if (damage != null) {
                    throw new CorruptIndexException(damage, path.toString());
                }
                DirectoryReader.open(dir).close();
            }
            SnapshotDeletionPolicy snapshots = new SnapshotDeletionPolicy(new KeepOnlyLastCommitDeletionPolicy());
            IndexWriterConfig config = new IndexWriterConfig(analyzer)
                    .setOpenMode(create ? IndexWriterConfig.OpenMode.CREATE : IndexWriterConfig.OpenMode.APPEND)
                    .setIndexDeletionPolicy(snapshots)
                    .setRAMBufferSizeMB(64);
            return new Generation(path, dir, new IndexWriter(dir, config), snapshots);
        } catch (IOException | RuntimeException e) {
            dir.close();
            throw e;
        }
    }

    Map<String, String> commitData() throws IOException {
        return SegmentInfos.readLatestCommit(dir).getUserData();
    }

    /**
     * Commits pending changes; with none it writes nothing, so the checksum of an unchanged index stays the same (a
     * snapshot download commits first). The model is set only when it differs: setting commit data alone is a change
     * to Lucene, and made every commit write a new segments file.
     */
    void commit(String modelId, int dimension) throws IOException {
        Map<String, String> data = Map.of(LuceneIndex.MODEL_KEY, modelId, LuceneIndex.DIMENSION_KEY, String.valueOf(dimension));
        Map<String, String> live = new java.util.HashMap<>();
        Iterable<Map.Entry<String, String>> current = writer.getLiveCommitData();
        if (current != null) {
            current.forEach(e -> live.put(e.getKey(), e.getValue()));
        }
        if (!live.equals(data)) {
            writer.setLiveCommitData(data.entrySet());
        }
        writer.commit();
    }

    long sizeBytes() throws IOException {
        long total = 0;
        for (String file : dir.listAll()) {
            try {
                total += dir.fileLength(file);
            } catch (java.nio.file.NoSuchFileException ignored) {
                // merged away between listing and measuring
            }
        }
        return total;
    }

    /**
     * A short fingerprint of the last commit's files (their Lucene CRC32 footers), for comparing copies. The commit is
     * held by a snapshot while its files are read: a commit finishing meanwhile deletes the previous one's files (its
     * segments_N at least), and reading them then failed the index status with a 500.
     */
    String checksum() throws IOException {
        IndexCommit commit = snapshots.snapshot();
        try {
            java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
            for (String file : new TreeSet<>(commit.getFileNames())) {
                try (IndexInput in = dir.openInput(file, IOContext.READONCE)) {
                    digest.update((file + ":" + CodecUtil.retrieveChecksum(in) + ";").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
            }
            return java.util.HexFormat.of().formatHex(digest.digest()).substring(0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } finally {
            snapshots.release(commit);
        }
    }

    /**
     * Why this generation cannot be trusted — its folder or a file gone, a file whose content does not match its
     * checksum — or null when every file of the last commit and of the segments searches see now checks out. Reads
     * every byte (BENCHMARKS.md, "Index verification").
     */
    String damage() throws IOException {
        String quick = quickDamage();
        if (quick != null) {
            return quick;
        }
        IndexCommit commit = snapshots.snapshot();
        try {
            Set<String> files = new TreeSet<>(commit.getFileNames());
            IndexSearcher searcher = manager.acquire();
            try {
                for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
                    if (FilterLeafReader.unwrap(leaf.reader()) instanceof SegmentReader segment) {
                        files.addAll(segment.getSegmentInfo().files());
                    }
                }
                // verified while the searcher is held: a refresh meanwhile may drop segments it no longer needs
                return verify(dir, files);
            } finally {
                manager.release(searcher);
            }
        } finally {
            snapshots.release(commit);
        }
    }

    /** What {@link #damage} finds without reading any file: the folder gone, or the writer closed by a failure. */
    String quickDamage() {
        if (!Files.isDirectory(path)) {
            return "its folder " + path + " is gone";
        }
        Throwable tragedy = writer.getTragicException();
        if (tragedy != null || !writer.isOpen()) {
            // Lucene closed the writer after a failure while writing (a full disk…): every later write fails, though
            // each file on disk may still check out, so only a rebuild into a new generation gets writes going again.
            return "its writer was closed by a failure" + (tragedy == null ? "" : " (" + tragedy + ")");
        }
        return null;
    }

    /** The first of {@code files} that is missing or fails its checksum, described; null when all check out. */
    static String verify(Directory dir, Collection<String> files) {
        for (String file : files) {
            try (IndexInput in = dir.openInput(file, IOContext.READONCE)) {
                CodecUtil.checksumEntireFile(in);
            } catch (NoSuchFileException | FileNotFoundException e) {
                return "its file " + file + " is missing";
            } catch (CorruptIndexException e) {
                return "its file " + file + " does not match its checksum";
            } catch (IOException e) {
                return "its file " + file + " cannot be read (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")";
            }
        }
        return null;
    }

    /** Commits, then copies that commit's files (held by a snapshot so merges cannot delete them mid-copy). */
    List<Path> copyCommit(String modelId, int dimension, Path target) throws IOException {
        commit(modelId, dimension);
        IndexCommit commit = snapshots.snapshot();
        try {
            Files.createDirectories(target);
            List<Path> copied = new ArrayList<>();
            for (String file : commit.getFileNames()) {
                Path to = target.resolve(file);
                Files.copy(path.resolve(file), to);
                copied.add(to);
            }
            return copied;
        } finally {
            snapshots.release(commit);
        }
    }

    /**
     * Closes a generation that is being thrown away, without committing: its folder may be gone already (deleted
     * under a running server), and a failure here must not undo the swap that replaced it.
     */
    void discard() {
        try {
            manager.close();
            writer.rollback();
            dir.close();
        } catch (IOException | RuntimeException e) {
            LOG.warn("closing the replaced index generation {} failed ({}); its folder is deleted anyway", path.getFileName(), e.toString());
        }
    }

    @Override
    public void close() throws IOException {
        manager.close();
        writer.close();
        dir.close();
    }
}
