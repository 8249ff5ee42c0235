package dev.chl.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The on-disk Lucene index: BM25 text fields and an HNSW vector field per entry. It lives in a generation folder
 * under {@code root}, named by the {@code CURRENT} file; a rebuild or a snapshot upload fills a new generation and
 * swaps it in atomically, so searches never see a half-built index. Only this package knows Lucene.
 */
public final class LuceneIndex implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LuceneIndex.class);
    static final String ID = "id";
    static final String KIND = "kind";
    static final String CATEGORY = "category";
    static final String TITLE = "title";
    static final String BODY = "body";
    static final String EXTRA = "extra";
    static final String META = "meta";
    static final String UPDATED = "updated";
    static final String HAS_VECTOR = "has_vector";
    static final String VECTOR = "vector";
    static final String MODEL_KEY = "model_id";
    static final String DIMENSION_KEY = "dimension";
    private static final String CURRENT = "CURRENT";
    private static final int MAX_QUERY_TERMS = 64;

    private final Path root;
    private final String modelId;
    private final int dimension;
    private final Analyzer analyzer = new EnglishAnalyzer();
    // Searches and single-document writes share the read side; swapping a generation takes the write side.
    private final ReadWriteLock swapLock = new ReentrantReadWriteLock();
    private final String openProblem;
    private final java.util.concurrent.atomic.AtomicBoolean changed = new java.util.concurrent.atomic.AtomicBoolean();
    // Deleted since the last refresh: filtered out of results so a delete is never visible late.
    private final java.util.Set<String> deletedSinceRefresh = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Object refreshLock = new Object();
    private Generation live;
    // Guarded by this monitor. A rebuild and a snapshot install each replace the live generation: never both at once,
    // or the install's swap ends the rebuild's record of changes made meanwhile and they are lost at its swap.
    private Rebuild activeRebuild;
    private boolean installing;
    private Generation damagedGeneration;
    private String damage;
    /** The generation last verified intact after a failure, and when: a failure that is not damage costs one full read a minute. */
    private Generation verifiedIntact;
    private long verifiedIntactAtNanos;
    static final long REVERIFY_AFTER_NANOS = java.util.concurrent.TimeUnit.MINUTES.toNanos(1);
    private volatile Consumer<String> damageListener = reason -> { };

    private LuceneIndex(Path root, String modelId, int dimension) throws IOException {
        this.root = root;
        this.modelId = modelId;
        this.dimension = dimension;
        Files.createDirectories(root);
        String problem = null;
        Generation opened = null;
        String current = readCurrent();
        if (current == null) {
            problem = "no index yet";
        } else {
            try {
                opened = Generation.open(root.resolve(current), analyzer, false);
                Map<String, String> data = opened.commitData();
                if (!modelId.equals(data.get(MODEL_KEY)) || !String.valueOf(dimension).equals(data.get(DIMENSION_KEY))) {
                    problem = "index was built for model " + data.get(MODEL_KEY) + " (" + data.get(DIMENSION_KEY)
                            + " dimensions); the configured model is " + modelId;
                    opened.close();
                    opened = null;
                }
            } catch (org.apache.lucene.store.LockObtainFailedException e) {
                // Another process writes this index (a CHL from before chl.lock, or a copy started by hand): replacing it
                // would delete the folder under that process. The data directory lock normally refuses this earlier.
                throw new IndexInUseException("the search index " + root.resolve(current) + " is open in another process "
                        + "(an older CHL still running on this data directory?); stop it first, then start this one", e);
            } catch (IOException | RuntimeException e) {
                problem = "index " + current + " is unreadable (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")";
                LOG.warn("search index unreadable; starting a fresh one", e);
            }
        }
        if (opened == null) {
            opened = createGeneration();
            writeCurrent(opened.path.getFileName().toString());
        }
        this.live = opened;
        this.openProblem = problem;
        deleteStaleGenerations();
    }

    /** Opens the index under {@code root}; a missing, unreadable or other-model index is replaced by an empty one. */
    public static LuceneIndex open(Path root, String modelId, int dimension) {
        try {
            return new LuceneIndex(root, modelId, dimension);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the search index under " + root, e);
        }
    }

    /** Why the index had to start empty at open (it then needs a rebuild), or null when it opened fine. */
    public String openProblem() {
        return openProblem;
    }

    public String modelId() {
        return modelId;
    }

    public int dimension() {
        return dimension;
    }

    public void upsert(IndexDocument doc) {
        if (doc.vector() != null && doc.vector().length != dimension) {
            throw new IllegalArgumentException("vector has " + doc.vector().length + " dimensions; the index expects " + dimension);
        }
        withLive(gen -> {
            // Recorded first: a write the live generation refuses (a damaged one) must still reach the rebuild.
            recordForRebuild(doc.id(), doc);
            gen.writer.updateDocument(new Term(ID, doc.id()), toDocument(doc));
            deletedSinceRefresh.remove(doc.id());
            changed.set(true);
            return null;
        });
    }

    public void delete(String id) {
        withLive(gen -> {
            recordForRebuild(id, null);
            gen.writer.deleteDocuments(new Term(ID, id));
            deletedSinceRefresh.add(id);
            changed.set(true);
            return null;
        });
    }

    private synchronized void recordForRebuild(String id, IndexDocument docOrNullForDelete) {
        if (activeRebuild != null) {
            activeRebuild.record(id, docOrNullForDelete);
        }
    }

    /** Told, once per generation, why the live index turned out damaged while running (so a rebuild can heal it). */
    public void onDamage(Consumer<String> listener) {
        damageListener = listener;
    }

    /** Why the live index is damaged (found while running), or null while it reads fine. */
    public synchronized String damage() {
        return damagedGeneration == live ? damage : null;
    }

    /**
     * Makes the changes so far visible to searches. One refresh at a time: Lucene's maybeRefreshBlocking returns as
     * soon as a refresh already under way ends, and that one may have opened its reader before a delete this call's
     * snapshot of deleted ids holds — clearing them then would let a just-deleted entry show until the next refresh.
     */
    public void refresh() {
        synchronized (refreshLock) {
            refreshLive();
        }
    }

    private void refreshLive() {
        withLive(gen -> {
            java.util.Set<String> deletedBefore = java.util.Set.copyOf(deletedSinceRefresh);
            changed.set(false);
            gen.manager.maybeRefreshBlocking();
            deletedSinceRefresh.removeAll(deletedBefore);
            return null;
        });
    }

    /**
     * Refreshes when something changed since the last refresh. Run every few hundred milliseconds: one refresh per
     * burst of writes keeps segments (and their HNSW graphs) from being flushed and merged for every single write.
     */
    public void refreshIfChanged() {
        if (changed.get()) {
            refresh();
        }
    }

    /** Makes the changes so far durable. */
    public void commit() {
        withLive(gen -> {
            gen.commit(modelId, dimension);
            return null;
        });
    }

    /** BM25 over title (×2), body and extra text, and category/section words (×0.5). */
    public List<Hit> lexical(List<WeightedText> parts, Filter filter, int k) {
        BooleanQuery.Builder text = new BooleanQuery.Builder();
        int terms = 0;
        for (WeightedText part : parts) {
            for (String token : analyze(part.text())) {
                if (terms++ >= MAX_QUERY_TERMS) {
                    break;
                }
                text.add(new BoostQuery(new TermQuery(new Term(TITLE, token)), 2f * part.weight()), BooleanClause.Occur.SHOULD);
                text.add(new BoostQuery(new TermQuery(new Term(BODY, token)), part.weight()), BooleanClause.Occur.SHOULD);
                text.add(new BoostQuery(new TermQuery(new Term(EXTRA, token)), 0.7f * part.weight()), BooleanClause.Occur.SHOULD);
                text.add(new BoostQuery(new TermQuery(new Term(META, token)), 0.5f * part.weight()), BooleanClause.Occur.SHOULD);
            }
        }
        if (terms == 0) {
            return List.of();
        }
        Query query = filtered(text.build(), filter);
        Map<String, Float> weights = new java.util.HashMap<>();
        for (WeightedText part : parts) {
            for (String token : analyze(part.text())) {
                weights.merge(token, part.weight(), Math::max);
            }
        }
        float total = (float) weights.values().stream().mapToDouble(Float::doubleValue).sum();
        return search(query, k).stream().map(h -> {
            java.util.Set<String> docTokens = new java.util.HashSet<>(analyze(h.title()));
            docTokens.addAll(analyze(h.body()));
            float present = 0;
            for (Map.Entry<String, Float> w : weights.entrySet()) {
                if (docTokens.contains(w.getKey())) {
                    present += w.getValue();
                }
            }
            return new Hit(h.id(), h.kind(), h.categoryCode(), h.title(), h.body(), h.score(), total == 0 ? 0 : present / total);
        }).toList();
    }

    /** k nearest neighbours by dot product (= cosine for unit vectors); scores are cosine similarities. */
    public List<Hit> vector(float[] target, Filter filter, int k) {
        BooleanQuery.Builder f = new BooleanQuery.Builder().add(new TermQuery(new Term(HAS_VECTOR, "1")), BooleanClause.Occur.FILTER);
        addFilter(f, filter);
        List<Hit> hits = search(new KnnFloatVectorQuery(VECTOR, target, k, f.build()), k);
        // Lucene scores DOT_PRODUCT as (1 + dot) / 2; callers compare cosines with thresholds.
        return hits.stream().map(h -> new Hit(h.id(), h.kind(), h.categoryCode(), h.title(), h.body(), 2 * h.score() - 1, 1f)).toList();
    }

    /**
     * Every document's id and the version (updated_at, epoch milliseconds) it was indexed at. Reads every document: for
     * rare, thorough checks (an installed snapshot), not for requests.
     */
    public Map<String, Long> documentVersions() {
        return withLive(gen -> {
            IndexSearcher searcher = gen.manager.acquire();
            try {
                Map<String, Long> versions = new java.util.HashMap<>();
                java.util.Set<String> fields = java.util.Set.of(ID, UPDATED);
                for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
                    org.apache.lucene.util.Bits live = leaf.reader().getLiveDocs();
                    StoredFields stored = leaf.reader().storedFields();
                    for (int doc = 0; doc < leaf.reader().maxDoc(); doc++) {
                        if (live == null || live.get(doc)) {
                            Document d = stored.document(doc, fields);
                            versions.put(d.get(ID), Long.parseLong(d.get(UPDATED)));
                        }
                    }
                }
                return versions;
            } finally {
                gen.manager.release(searcher);
            }
        });
    }

    /** Whether any document carries a vector: until one does, a search need not embed its query at all. */
    public boolean hasVectors() {
        return withLive(gen -> {
            IndexSearcher searcher = gen.manager.acquire();
            try {
                for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
                    FloatVectorValues values = leaf.reader().getFloatVectorValues(VECTOR);
                    if (values != null && values.size() > 0) {
                        return true;
                    }
                }
                return false;
            } finally {
                gen.manager.release(searcher);
            }
        });
    }

    public IndexStats stats() {
        return withLive(gen -> {
            IndexSearcher searcher = gen.manager.acquire();
            try {
                long experiences = searcher.count(new TermQuery(new Term(KIND, "experience")));
                long manuals = searcher.count(new TermQuery(new Term(KIND, "manual")));
                long vectors = searcher.count(new TermQuery(new Term(HAS_VECTOR, "1")));
                long maxUpdated = 0;
                TopDocs newest = searcher.search(new MatchAllDocsQuery(), 1, new Sort(new SortField(UPDATED, SortField.Type.LONG, true)));
                if (newest.scoreDocs.length > 0) {
                    maxUpdated = Long.parseLong(searcher.storedFields().document(newest.scoreDocs[0].doc).get(UPDATED));
                }
                return new IndexStats(experiences, manuals, vectors, maxUpdated, gen.sizeBytes(), gen.path.getFileName().toString(),
                        modelId, dimension);
            } finally {
                gen.manager.release(searcher);
            }
        });
    }

    /** A short fingerprint of the committed index files (their Lucene CRC32 footers), for comparing copies. */
    public String checksum() {
        return withLive(Generation::checksum);
    }

    /**
     * Starts filling a new generation. Changes made to the live index meanwhile are recorded and replayed onto the
     * new one when it is finished, so nothing written during a rebuild is lost.
     */
    public synchronized Rebuild startRebuild() {
        if (activeRebuild != null) {
            throw new IllegalStateException("a rebuild is already running");
        }
        if (installing) {
            throw new IllegalStateException("an index snapshot is being installed; rebuild once it is in");
        }
        try {
            activeRebuild = new Rebuild(this, createGeneration());
            return activeRebuild;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Swaps {@code next} in as the live generation, after replaying {@code pending} changes onto it; {@code finishing}
     * is the rebuild that filled it (null for a snapshot install), whose record of changes ends here.
     */
    void swapIn(Generation next, List<Map.Entry<String, IndexDocument>> pending, Rebuild finishing) throws IOException {
        swapLock.writeLock().lock();
        try {
            synchronized (this) {
                for (Map.Entry<String, IndexDocument> change : pending) {
                    if (change.getValue() == null) {
                        next.writer.deleteDocuments(new Term(ID, change.getKey()));
                    } else {
                        next.writer.updateDocument(new Term(ID, change.getKey()), toDocument(change.getValue()));
                    }
                }
                if (finishing != null && activeRebuild == finishing) {
                    activeRebuild = null;
                }
            }
            next.commit(modelId, dimension);
            next.manager.maybeRefreshBlocking();
            writeCurrent(next.path.getFileName().toString());
            Generation old = live;
            live = next;
            // The new generation's reader already holds every delete (replayed, or the snapshot's own content): ids
            // hidden for the old one would hide a document of the new one until the next refresh.
            deletedSinceRefresh.clear();
            old.discard();
            try {
                deleteTree(old.path);
            } catch (IOException e) {
                // the swap stands; stale generations are deleted at the next start
                LOG.warn("could not delete the replaced index generation {}", old.path, e);
            }
        } finally {
            swapLock.writeLock().unlock();
        }
    }

    synchronized void endRebuild(Rebuild rebuild) {
        if (activeRebuild == rebuild) {
            activeRebuild = null;
        }
    }

    /**
     * Writes a consistent copy of the committed index into {@code target} (a folder) and returns its files.
     * The live index keeps serving and taking writes meanwhile.
     */
    public List<Path> copyCommitTo(Path target) {
        return withLive(gen -> gen.copyCommit(modelId, dimension, target));
    }

    /**
     * Checks that {@code folder} holds an intact Lucene index built for this model and dimension; returns a reason
     * it does not, or null when it does.
     */
    public String validateFolder(Path folder) {
        try (Directory dir = FSDirectory.open(folder)) {
            Map<String, String> data = SegmentInfos.readLatestCommit(dir).getUserData();
            if (!modelId.equals(data.get(MODEL_KEY)) || !String.valueOf(dimension).equals(data.get(DIMENSION_KEY))) {
                return "the snapshot was built for model " + data.get(MODEL_KEY) + " with " + data.get(DIMENSION_KEY)
                        + " dimensions; this server uses " + modelId + " with " + dimension;
            }
            try (org.apache.lucene.index.CheckIndex check = new org.apache.lucene.index.CheckIndex(dir)) {
                check.setLevel(org.apache.lucene.index.CheckIndex.Level.MIN_LEVEL_FOR_CHECKSUM_CHECKS);
                if (!check.checkIndex().clean) {
                    return "the snapshot's index files are damaged (checksum check failed)";
                }
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return "the snapshot is not a readable Lucene index (" + e.getClass().getSimpleName() + ")";
        }
    }

    /**
     * Replaces the live index with a validated folder (see {@link #validateFolder}); the folder is moved in.
     *
     * @throws IllegalStateException while a rebuild runs (its swap would drop the snapshot, and this swap would end
     *                               the rebuild's record of changes made meanwhile), or another install does
     */
    public void replaceWith(Path folder) {
        synchronized (this) {
            if (activeRebuild != null) {
                throw new IllegalStateException("a rebuild of the index is running");
            }
            if (installing) {
                throw new IllegalStateException("another index snapshot is being installed");
            }
            installing = true;
        }
        try {
            Path target = root.resolve("gen-" + System.currentTimeMillis() + "-upload");
            Files.move(folder, target, StandardCopyOption.ATOMIC_MOVE);
            swapIn(Generation.open(target, analyzer, false), List.of(), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            synchronized (this) {
                installing = false;
            }
        }
    }

    private Generation createGeneration() throws IOException {
        Path path = root.resolve("gen-" + Instant.now().toEpochMilli() + "-" + System.nanoTime() % 100000);
        Generation gen = Generation.open(path, analyzer, true);
        gen.commit(modelId, dimension);
        return gen;
    }

    private List<Hit> search(Query query, int k) {
        return withLive(gen -> {
            // Read the deleted ids before taking the searcher: a refresh that finishes in between drops ids from the
            // set that this (older) searcher still sees, and they would come back in its results.
            java.util.Set<String> hidden = deletedSinceRefresh.isEmpty() ? java.util.Set.of() : java.util.Set.copyOf(deletedSinceRefresh);
            IndexSearcher searcher = gen.manager.acquire();
            try {
                TopDocs top = searcher.search(query, k);
                StoredFields stored = searcher.storedFields();
                List<Hit> hits = new ArrayList<>(top.scoreDocs.length);
                for (ScoreDoc sd : top.scoreDocs) {
                    Document d = stored.document(sd.doc);
                    if (hidden.contains(d.get(ID))) {
                        continue;
                    }
                    hits.add(new Hit(d.get(ID), d.get(KIND), d.get(CATEGORY), d.get(TITLE), d.get(BODY), sd.score, 1f));
                }
                return hits;
            } finally {
                gen.manager.release(searcher);
            }
        });
    }

    private static Query filtered(Query query, Filter filter) {
        if (filter.kind() == null && filter.categoryCode() == null && !filter.withoutVectorOnly()) {
            return query;
        }
        BooleanQuery.Builder b = new BooleanQuery.Builder().add(query, BooleanClause.Occur.MUST);
        addFilter(b, filter);
        return b.build();
    }

    private static void addFilter(BooleanQuery.Builder b, Filter filter) {
        if (filter.kind() != null) {
            b.add(new TermQuery(new Term(KIND, filter.kind())), BooleanClause.Occur.FILTER);
        }
        if (filter.categoryCode() != null) {
            b.add(new TermQuery(new Term(CATEGORY, filter.categoryCode())), BooleanClause.Occur.FILTER);
        }
        if (filter.withoutVectorOnly()) {
            b.add(new TermQuery(new Term(HAS_VECTOR, "1")), BooleanClause.Occur.MUST_NOT);
        }
    }

    List<String> analyze(String text) {
        List<String> tokens = new ArrayList<>();
        try (TokenStream stream = analyzer.tokenStream(BODY, text)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                tokens.add(term.toString());
            }
            stream.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return tokens;
    }

    static Document toDocument(IndexDocument d) {
        Document doc = new Document();
        doc.add(new StringField(ID, d.id(), Field.Store.YES));
        doc.add(new StringField(KIND, d.kind(), Field.Store.YES));
        doc.add(new StringField(CATEGORY, d.categoryCode(), Field.Store.YES));
        doc.add(new TextField(TITLE, d.title(), Field.Store.YES));
        doc.add(new TextField(BODY, d.body(), Field.Store.YES));
        if (d.extra() != null) {
            doc.add(new TextField(EXTRA, d.extra(), Field.Store.NO));
        }
        doc.add(new TextField(META, d.categoryCode() + " " + d.kind() + (d.section() == null ? "" : " " + d.section()), Field.Store.NO));
        doc.add(new NumericDocValuesField(UPDATED, d.updatedAtMillis()));
        doc.add(new StoredField(UPDATED, Long.toString(d.updatedAtMillis())));
        if (d.vector() != null) {
            doc.add(new StringField(HAS_VECTOR, "1", Field.Store.NO));
            doc.add(new KnnFloatVectorField(VECTOR, d.vector(), VectorSimilarityFunction.DOT_PRODUCT));
        }
        return doc;
    }

    private <T> T withLive(IoFunction<Generation, T> work) {
        Failure failure;
        swapLock.readLock().lock();
        try {
            return work.apply(live);
        } catch (IOException | RuntimeException e) {
            failure = examine(live, e);
        } finally {
            swapLock.readLock().unlock();
        }
        if (failure.newlyDamaged()) {
            try {
                damageListener.accept(failure.exception().getMessage());
            } catch (RuntimeException e) {
                LOG.error("could not start healing the damaged search index", e);
            }
        }
        throw failure.exception();
    }

    private record Failure(RuntimeException exception, boolean newlyDamaged) {}

    /**
     * What a failed read or write of {@code gen} means. A failure is the first sign of damage (a flipped byte reads as
     * a decompression error, a deleted folder as a missing file), so the generation's checksums are verified then —
     * once: a generation found damaged stays so until a rebuild or an install replaces it.
     */
    private Failure examine(Generation gen, Exception e) {
        if (e instanceof IndexDamagedException damaged) {
            return new Failure(damaged, false);
        }
        synchronized (this) {
            if (damagedGeneration == gen) {
                return new Failure(new IndexDamagedException(damage, e), false);
            }
        }
        String found;
        try {
            // Reading every file is for the first sign of trouble: a failure that keeps coming back without damage (a
            // bad query, a shutdown) must not read the whole index each time, on the request's own thread.
            found = recentlyVerifiedIntact(gen) ? gen.quickDamage() : gen.damage();
            if (found == null) {
                markVerifiedIntact(gen);
            }
        } catch (IOException | RuntimeException checkFailed) {
            e.addSuppressed(checkFailed);
            found = null;
        }
        if (found == null) {
            return new Failure(e instanceof RuntimeException r ? r : new UncheckedIOException((IOException) e), false);
        }
        String reason = "the search index (" + gen.path.getFileName() + ") is damaged: " + found;
        synchronized (this) {
            if (damagedGeneration == gen) {
                return new Failure(new IndexDamagedException(damage, e), false);
            }
            damagedGeneration = gen;
            damage = reason;
        }
        LOG.error("{}; only a rebuild from the database heals it", reason, e);
        return new Failure(new IndexDamagedException(reason, e), true);
    }

    private synchronized boolean recentlyVerifiedIntact(Generation gen) {
        return verifiedIntact == gen && System.nanoTime() - verifiedIntactAtNanos < REVERIFY_AFTER_NANOS;
    }

    private synchronized void markVerifiedIntact(Generation gen) {
        if (verifiedIntact != gen || !recentlyVerifiedIntact(gen)) {
            verifiedIntact = gen;
            verifiedIntactAtNanos = System.nanoTime();
        }
    }

    private String readCurrent() throws IOException {
        Path file = root.resolve(CURRENT);
        if (!Files.exists(file)) {
            return null;
        }
        String name = Files.readString(file, StandardCharsets.UTF_8).strip();
        return name.matches("gen-[0-9a-z-]+") && Files.isDirectory(root.resolve(name)) ? name : null;
    }

    private void writeCurrent(String generation) throws IOException {
        Path tmp = root.resolve(CURRENT + ".tmp");
        Files.writeString(tmp, generation + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, root.resolve(CURRENT), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private void deleteStaleGenerations() throws IOException {
        try (Stream<Path> children = Files.list(root)) {
            for (Path child : children.toList()) {
                if (Files.isDirectory(child) && child.getFileName().toString().startsWith("gen-") && !child.equals(live.path)) {
                    deleteTree(child);
                }
            }
        }
    }

    static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Override
    public void close() {
        swapLock.writeLock().lock();
        try {
            live.commit(modelId, dimension);
            live.close();
        } catch (IOException | RuntimeException e) {
            LOG.warn("closing the search index failed", e);
            live.discard();
        } finally {
            swapLock.writeLock().unlock();
        }
    }

    @FunctionalInterface
    interface IoFunction<A, B> {
        B apply(A a) throws IOException;
    }
}
