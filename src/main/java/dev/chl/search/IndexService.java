package dev.chl.search;

import dev.chl.common.Times;
import dev.chl.common.UnavailableException;
import dev.chl.index.IndexDamagedException;
import dev.chl.entries.EntryChange;
import dev.chl.index.IndexStats;
import dev.chl.index.LuceneIndex;
import dev.chl.index.Rebuild;
import dev.chl.model.EmbeddingStatus;
import dev.chl.model.Entry;
import dev.chl.model.Kind;
import dev.chl.store.Database;
import dev.chl.store.SettingRow;
import dev.chl.workers.VectorSink;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keeps the search index in step with the database (the truth): applies each committed change, takes embedded
 * batches from the workers, checks agreement at start-up and rebuilds from the database when they differ.
 */
public final class IndexService implements VectorSink {
    private static final Logger LOG = LoggerFactory.getLogger(IndexService.class);
    static final String LAST_REBUILD_KEY = "index.last_rebuild";
    private static final int PAGE = 1000;
    /** Entries read back per query when many changes are applied at once. */
    static final int SYNC_CHUNK = 500;

    private final Database database;
    private final LuceneIndex index;
    private final RecentWrites recentWrites = new RecentWrites();
    private static final java.time.Duration HEAL_RETRY_FIRST = java.time.Duration.ofMinutes(1);
    private static final java.time.Duration HEAL_RETRY_MAX = java.time.Duration.ofHours(1);
    private volatile java.time.Duration healBackoff = HEAL_RETRY_FIRST;
    private volatile Instant nextHealAttempt = Instant.MIN;
    private final JsonMapper json;
    private final Clock clock;
    private final AtomicBoolean dirty = new AtomicBoolean();
    private final AtomicBoolean rebuilding = new AtomicBoolean();
    private volatile boolean rebuiltSinceOpen;
    private final Object indexWrites = new Object();
    private volatile String healJobId;
    private volatile Function<String, Optional<String>> healer = reason -> Optional.empty();

    public IndexService(Database database, LuceneIndex index, JsonMapper json, Clock clock) {
        this.database = database;
        this.index = index;
        this.json = json;
        this.clock = clock;
    }

    /**
     * Who heals a damaged index: {@code healer} starts a rebuild for a reason and returns its job id (empty when none
     * could start). It is told when a read finds the live index damaged while the server runs.
     */
    public void healWith(Function<String, Optional<String>> healer) {
        this.healer = healer;
        index.onDamage(this::requestHeal);
    }

    /** Starts the rebuild that heals an index which disagrees with the database; its job id, or empty when none could start. */
    Optional<String> heal(String reason) {
        return healer.apply(reason);
    }

    /** The answer to a request that met a damaged index: unavailable, with the rebuild that heals it. */
    UnavailableException unavailable(IndexDamagedException e) {
        String job = healJobId;
        return new UnavailableException(e.getMessage() + "; " + remediation(job), job == null ? Map.of() : Map.of("rebuild_job_id", job));
    }

    private static String remediation(String healJob) {
        return healJob == null
                ? "rebuild it from the database: POST /api/v1/operations/index-rebuild (Operations → Index rebuild)"
                : "a rebuild from the database has been started (job " + healJob + "); try again once it has finished "
                        + "(GET /api/v1/operations/jobs/" + healJob + "), or start one with POST /api/v1/operations/index-rebuild if it failed";
    }

    /** Applies a committed entry change; never throws (the database already holds the change). */
    public void onEntryChange(EntryChange change) {
        onEntryChanges(List.of(change));
    }

    /**
     * Applies committed changes (one entry's, or an import's thousands) reading them back a chunk at a time rather
     * than one query per entry; never throws. A chunk that fails is logged and the next one still applied.
     */
    public void onEntryChanges(List<EntryChange> changes) {
        for (Kind kind : Kind.values()) {
            List<String> ids = changes.stream().map(EntryChange::entry).filter(e -> e.kind() == kind).map(Entry::id).distinct().toList();
            for (int from = 0; from < ids.size(); from += SYNC_CHUNK) {
                List<String> chunk = ids.subList(from, Math.min(ids.size(), from + SYNC_CHUNK));
                try {
                    syncFromDatabase(kind, chunk);
                } catch (RuntimeException ex) {
                    LOG.error("could not apply {} changes ({}…) to the search index; the start-up check will repair them",
                            chunk.size(), chunk.getFirst(), ex);
                }
            }
        }
        // After the index holds them, so a refresh that forgets them (visibleUpTo) shows them.
        for (EntryChange change : changes) {
            if (change.type() == EntryChange.Type.DELETED) {
                recentWrites.deleted(change.entry().id());
            } else {
                recentWrites.written(change.entry());
            }
        }
        dirty.set(true);
    }

    /** Entries written a moment ago that searches may not show yet (see {@link RecentWrites}), newest first. */
    List<Entry> recentWrites(Kind kind, String categoryCode, int max) {
        return recentWrites.of(kind, categoryCode, max);
    }

    @Override
    public void indexEmbedded(List<Embedded> batch) {
        for (Kind kind : Kind.values()) {
            List<String> ids = batch.stream().map(Embedded::entry).filter(e -> e.kind() == kind).map(Entry::id).toList();
            if (!ids.isEmpty()) {
                syncFromDatabase(kind, ids);
            }
        }
        dirty.set(true);
    }

    /**
     * Indexes the entries as the database holds them now (deleted ones are removed). A change's listener and a worker
     * finishing a batch both land here after their commits; reading the database under one lock means the later
     * writer always indexes the newer state. Indexing the copies they carried instead let a slower listener overwrite
     * a just-embedded entry with its vector-less version (embedded in the database, never found by vector search),
     * and let a worker's upsert bring back an entry deleted a moment before.
     */
    private void syncFromDatabase(Kind kind, List<String> ids) {
        synchronized (indexWrites) {
            Map<String, Entry> current = new java.util.HashMap<>();
            Map<String, float[]> vectors = database.read(tx -> {
                tx.entries().findAll(kind, ids).forEach(e -> current.put(e.id(), e));
                List<String> embedded = current.values().stream()
                        .filter(e -> e.embeddingStatus() == EmbeddingStatus.EMBEDDED).map(Entry::id).toList();
                return embedded.isEmpty() ? Map.<String, float[]>of() : tx.vectors().forIds(index.modelId(), embedded);
            });
            for (String id : ids) {
                Entry e = current.get(id);
                if (e == null) {
                    index.delete(id);
                } else {
                    index.upsert(EntryDocuments.of(e, vectors.get(id)));
                }
            }
        }
    }

    /** Makes recent changes searchable; run every few hundred milliseconds. */
    public void refreshIfChanged() {
        long mark = recentWrites.mark();
        index.refreshIfChanged();
        recentWrites.visibleUpTo(mark);
    }

    /** Makes recent index changes durable; run periodically. */
    public void commitIfDirty() {
        if (index.damage() != null) {
            return; // its writer is closed: the heal replaces it, and committing again only fails again
        }
        if (dirty.getAndSet(false)) {
            index.commit();
        }
    }

    /**
     * Cheap figures for health checks: documents, vectors and whether a rebuild runs (no file checksums); state
     * "damaged" with a message and a remediation when the live index cannot be read.
     */
    public Map<String, Object> health() {
        IndexStats stats;
        try {
            stats = index.stats();
        } catch (IndexDamagedException e) {
            return damaged(e.getMessage());
        }
        String damage = index.damage();
        if (damage != null) {
            // Still readable (searches answer), but its writer is gone (a full disk, say): changes no longer reach it.
            Map<String, Object> details = damaged(damage);
            details.put("readable", true);
            return details;
        }
        return Map.of("state", rebuilding.get() ? "rebuilding" : "ready", "documents", stats.documents(),
                "vectors", stats.vectors(), "model", stats.modelId());
    }

    private Map<String, Object> damaged(String message) {
        String job = healJobId;
        Map<String, Object> details = new java.util.LinkedHashMap<>();
        details.put("state", rebuilding.get() ? "rebuilding" : "damaged");
        details.put("message", message);
        details.put("remediation", remediation(job));
        if (job != null) {
            details.put("rebuild_job_id", job);
        }
        return details;
    }

    /**
     * Starts the heal again when the live index is damaged and no rebuild runs: the first attempt may have failed (a
     * full disk refuses the job's own row), or its rebuild failed; without this the index stayed behind until a restart.
     * Run every half minute; it waits longer and longer between attempts while they keep failing.
     */
    public void healIfStillDamaged() {
        if (rebuilding.get()) {
            return; // read first: a rebuild that swaps in a sound generation clears it only after the swap
        }
        String damage = index.damage();
        Instant now = clock.instant();
        if (damage == null) {
            healBackoff = HEAL_RETRY_FIRST;
            nextHealAttempt = Instant.MIN;
            return;
        }
        if (now.isBefore(nextHealAttempt)) {
            return;
        }
        // Doubling waits, up to an hour: a heal that keeps failing (the disk still full) must not fill job history.
        nextHealAttempt = now.plus(healBackoff);
        healBackoff = healBackoff.multipliedBy(2).compareTo(HEAL_RETRY_MAX) > 0 ? HEAL_RETRY_MAX : healBackoff.multipliedBy(2);
        requestHeal(damage);
    }

    private void requestHeal(String damage) {
        healJobId = healer.apply("damaged while running: " + damage).orElse(null);
    }

    /** The index card; unavailable (503) while the live index cannot be read. */
    public IndexStatus status() {
        try {
            return readStatus();
        } catch (IndexDamagedException e) {
            throw unavailable(e);
        }
    }

    private IndexStatus readStatus() {
        // Read before the counts: a rebuild that finishes while they are read must not show as "ready" with the
        // previous rebuild's time.
        boolean rebuildingAtStart = rebuilding.get();
        IndexStats stats = index.stats();
        Map<Kind, Map<String, Long>> counts = database.read(tx -> Map.of(
                Kind.EXPERIENCE, tx.entries().embeddingCounts(Kind.EXPERIENCE),
                Kind.MANUAL, tx.entries().embeddingCounts(Kind.MANUAL)));
        long pending = counts.values().stream().mapToLong(c -> c.getOrDefault("pending", 0L)).sum();
        long failed = counts.values().stream().mapToLong(c -> c.getOrDefault("failed", 0L)).sum();
        Map<?, ?> last = database.read(tx -> tx.settings().find(LAST_REBUILD_KEY))
                .map(row -> (Map<?, ?>) json.readValue(row.valueJson(), Map.class)).orElse(Map.of());
        Object ms = last.get("ms");
        return new IndexStatus(stats.documents(), stats.vectors(), pending, failed, stats.modelId(), stats.dimension(),
                stats.sizeBytes(), (String) last.get("at"), ms == null ? null : ((Number) ms).longValue(), index.checksum(),
                rebuildingAtStart || rebuilding.get() ? "rebuilding" : index.damage() != null ? "damaged" : "ready");
    }

    /** Why the index disagrees with the database, or null when they agree (documents, vectors, newest change). */
    public String disagreement() {
        IndexStats stats = index.stats();
        long experiences = database.read(tx -> tx.entries().count(Kind.EXPERIENCE));
        long manuals = database.read(tx -> tx.entries().count(Kind.MANUAL));
        if (stats.experiences() != experiences || stats.manuals() != manuals) {
            return "index holds " + stats.experiences() + " experiences and " + stats.manuals() + " manuals; the database "
                    + experiences + " and " + manuals;
        }
        long embedded = database.read(tx -> tx.entries().embeddingCounts(Kind.EXPERIENCE).getOrDefault("embedded", 0L)
                + tx.entries().embeddingCounts(Kind.MANUAL).getOrDefault("embedded", 0L));
        if (stats.vectors() != embedded) {
            return "index holds " + stats.vectors() + " vectors; the database has " + embedded + " embedded entries";
        }
        long newest = database.read(tx -> newest(tx.entries().maxUpdatedAt(Kind.EXPERIENCE), tx.entries().maxUpdatedAt(Kind.MANUAL)));
        if (stats.maxUpdatedAtMillis() != newest) {
            return "index misses changes made after " + Instant.ofEpochMilli(stats.maxUpdatedAtMillis());
        }
        return null;
    }

    /**
     * {@link #disagreement()}, then entry by entry (ids and versions): an installed snapshot can match the database's
     * counts and newest change by chance — another library's, or an old one of this library after a delete and an
     * import of older rows — and serve deleted entries while it misses others.
     */
    public String disagreementByEntry() {
        String coarse = disagreement();
        if (coarse != null) {
            return coarse;
        }
        Map<String, Long> indexed = new java.util.HashMap<>(index.documentVersions());
        long missing = 0;
        long otherVersion = 0;
        for (Kind kind : Kind.values()) {
            String after = null;
            while (true) {
                String from = after;
                List<Entry> page = database.read(tx -> tx.entries().scan(kind, from, 5000));
                if (page.isEmpty()) {
                    break;
                }
                for (Entry e : page) {
                    Long version = indexed.remove(e.id());
                    if (version == null) {
                        missing++;
                    } else if (version != e.updatedAt().toEpochMilli()) {
                        otherVersion++;
                    }
                }
                after = page.getLast().id();
            }
        }
        if (missing + otherVersion + indexed.size() == 0) {
            return null;
        }
        return "index and database differ entry by entry: " + missing + " entries missing from the index, " + otherVersion
                + " at another version, " + indexed.size() + " not in the database";
    }

    /** Queues embedded entries that have no stored vector from the current model; returns how many. */
    public int requeueMissingVectors() {
        return database.write(tx -> tx.entries().requeueWithoutVector(Kind.EXPERIENCE, index.modelId())
                + tx.entries().requeueWithoutVector(Kind.MANUAL, index.modelId()));
    }

    /**
     * Why the index must be rebuilt from the database — it could not be opened, or it disagrees — or null when it
     * need not. Queues entries lacking a vector from this model first.
     */
    public String rebuildReason() {
        int requeued = requeueMissingVectors();
        if (requeued > 0) {
            LOG.info("queued {} entries for embedding with {} (no stored vector from this model)", requeued, index.modelId());
        }
        return index.openProblem() != null && !rebuiltSinceOpen ? index.openProblem() : disagreement();
    }

    /**
     * Rebuilds the index from the database into a new generation and swaps it in. The old index serves searches until
     * the swap; on cancellation (checked between pages) it stays exactly as it was.
     *
     * @return the number of entries indexed
     * @throws CancellationException when {@code cancelled} turned true
     */
    public long rebuild(RebuildProgress progress, BooleanSupplier cancelled) {
        if (!rebuilding.compareAndSet(false, true)) {
            throw new IllegalStateException("a rebuild is already running");
        }
        long start = System.nanoTime();
        try (Rebuild rebuild = index.startRebuild()) {
            long total = database.read(tx -> tx.entries().count(Kind.EXPERIENCE) + tx.entries().count(Kind.MANUAL));
            long done = 0;
            for (Kind kind : Kind.values()) {
                String after = null;
                while (true) {
                    if (cancelled.getAsBoolean()) {
                        throw new CancellationException("rebuild cancelled after " + done + " of " + total + " entries");
                    }
                    String from = after;
                    List<Entry> page = database.read(tx -> tx.entries().scan(kind, from, PAGE));
                    if (page.isEmpty()) {
                        break;
                    }
                    List<String> embeddedIds = page.stream().filter(e -> e.embeddingStatus() == EmbeddingStatus.EMBEDDED).map(Entry::id).toList();
                    Map<String, float[]> vectors = database.read(tx -> tx.vectors().forIds(index.modelId(), embeddedIds));
                    for (Entry e : page) {
                        rebuild.add(EntryDocuments.of(e, vectors.get(e.id())));
                    }
                    done += page.size();
                    progress.advanced(done, total);
                    after = page.getLast().id();
                }
            }
            rebuild.finish();
            rebuiltSinceOpen = true;
            long ms = (System.nanoTime() - start) / 1_000_000;
            recordRebuild(ms, done);
            return done;
        } finally {
            rebuilding.set(false);
        }
    }

    LuceneIndex index() {
        return index;
    }

    private void recordRebuild(long ms, long documents) {
        String now = Times.format(clock.instant());
        String value = json.writeValueAsString(Map.of("at", now, "ms", ms, "documents", documents));
        database.write(tx -> {
            tx.settings().put(new SettingRow(LAST_REBUILD_KEY, value, null, now, "last search index rebuild", now));
            return null;
        });
    }

    private static long newest(String a, String b) {
        String max = a == null ? b : b == null ? a : a.compareTo(b) >= 0 ? a : b;
        return max == null ? 0 : Times.parse(max).toEpochMilli();
    }
}
