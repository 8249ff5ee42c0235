package dev.chl.workers;

import dev.chl.common.Times;
import dev.chl.embed.CachingEmbedder;
import dev.chl.embed.Embedder;
import dev.chl.embed.Pieces;
import dev.chl.model.EmbeddingStatus;
import dev.chl.model.Entry;
import dev.chl.model.Kind;
import dev.chl.store.Database;
import dev.chl.store.QueueItem;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embeds one claimed batch: reads the entries' current text, runs the model, stores vectors and marks entries
 * embedded (only if unchanged meanwhile), then hands them to the index. A failing entry is retried with backoff
 * and marked failed after the last attempt; the rest of the batch still goes through. The model is called on at most
 * {@link #TEXTS_PER_CALL} texts at a time and progress is reported after each call and each entry, so a long batch
 * reads as busy, not stuck.
 */
final class BatchProcessor {
    private static final Logger LOG = LoggerFactory.getLogger(BatchProcessor.class);
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(5);
    /** Small enough that one call takes seconds even for long texts on a busy machine; langchain4j still runs a call's texts in parallel. */
    static final int TEXTS_PER_CALL = 32;

    private final Database database;
    private final Embedder embedder;
    private final VectorSink sink;
    private final Clock clock;

    BatchProcessor(Database database, Embedder embedder, VectorSink sink, Clock clock) {
        this.database = database;
        this.embedder = embedder;
        this.sink = sink;
        this.clock = clock;
    }

    /** Result of one batch: how many entries were embedded and how many attempts failed. */
    record Outcome(int embedded, int failed, List<String> settledIds) {}

    /** @param progress called whenever a step of the batch is done (the worker's sign of life) */
    Outcome process(List<QueueItem> batch, int maxAttempts, Runnable progress) {
        Map<String, QueueItem> byId = batch.stream().collect(Collectors.toMap(QueueItem::id, Function.identity()));
        List<Entry> entries = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            List<String> ids = batch.stream().filter(i -> i.kind() == kind).map(QueueItem::id).toList();
            entries.addAll(database.read(tx -> tx.entries().findAll(kind, ids)));
        }
        List<Entry> pending = entries.stream().filter(e -> e.embeddingStatus() == EmbeddingStatus.PENDING).toList();
        List<EntryVectors> vectors = embedAll(pending, progress);
        List<VectorSink.Embedded> done = new ArrayList<>();
        List<String> settled = new ArrayList<>(batch.stream().map(QueueItem::id).filter(id -> pending.stream().noneMatch(e -> e.id().equals(id))).toList());
        int failed = 0;
        String now = Times.format(clock.instant());
        for (int i = 0; i < pending.size(); i++) {
            Entry entry = pending.get(i);
            float[] v;
            float[][] pieces;
            try {
                EntryVectors ev = vectors.get(i) != null ? vectors.get(i) : embedOne(entry);
                v = ev.whole();
                pieces = ev.pieces();
            } catch (RuntimeException e) {
                LOG.warn("embedding {} failed", entry.id(), e);
                failed++;
                recordFailure(entry, byId.get(entry.id()).attempts(), maxAttempts, e.getClass().getSimpleName() + ": " + e.getMessage());
                settled.add(entry.id());
                progress.run();
                continue;
            }
            boolean stored = database.write(tx -> {
                if (!tx.entries().markEmbedded(entry.kind(), entry.id(), Times.format(entry.updatedAt()))) {
                    return false;
                }
                tx.vectors().upsert(entry.id(), embedder.modelId(), v, pieces, CachingEmbedder.sha256(entry.embeddingText()), now);
                return true;
            });
            if (stored) {
                done.add(new VectorSink.Embedded(withStatus(entry), v));
                settled.add(entry.id());
            }
            // Not stored: the entry changed while it was embedded; it is still pending and will be embedded again.
            progress.run();
        }
        if (!done.isEmpty()) {
            sink.indexEmbedded(done);
        }
        return new Outcome(done.size(), failed, settled);
    }

    /** An entry's whole-text vector and its pieces' vectors (see {@link Pieces#ofDocument}). */
    private record EntryVectors(float[] whole, float[][] pieces) {}

    /** The whole batch, pieces included, in a few model calls; on failure every entry gets nulls (embedded alone then). */
    private List<EntryVectors> embedAll(List<Entry> entries, Runnable progress) {
        List<String> texts = new ArrayList<>();
        List<Integer> pieceCounts = new ArrayList<>();
        for (Entry e : entries) {
            texts.add(e.embeddingText());
        }
        for (Entry e : entries) {
            List<String> pieces = Pieces.ofDocument(e.title(), e.body());
            texts.addAll(pieces);
            pieceCounts.add(pieces.size());
        }
        List<EntryVectors> out = new ArrayList<>(entries.size());
        try {
            List<float[]> all = new ArrayList<>(texts.size());
            for (int from = 0; from < texts.size(); from += TEXTS_PER_CALL) {
                all.addAll(embedder.embedDocuments(texts.subList(from, Math.min(texts.size(), from + TEXTS_PER_CALL))));
                progress.run();
            }
            int next = entries.size();
            for (int i = 0; i < entries.size(); i++) {
                int n = pieceCounts.get(i);
                out.add(new EntryVectors(all.get(i), all.subList(next, next + n).toArray(float[][]::new)));
                next += n;
            }
        } catch (RuntimeException e) {
            LOG.warn("batch embedding failed; retrying the {} entries one by one", entries.size(), e);
            out.clear();
            entries.forEach(x -> out.add(null));
        }
        return out;
    }

    private EntryVectors embedOne(Entry entry) {
        float[] whole = embedder.embedDocument(entry.embeddingText());
        float[][] pieces = Pieces.ofDocument(entry.title(), entry.body()).stream().map(embedder::embedDocument).toArray(float[][]::new);
        return new EntryVectors(whole, pieces);
    }

    private void recordFailure(Entry entry, int attemptsSoFar, int maxAttempts, String error) {
        int attempts = attemptsSoFar + 1;
        Instant retryAt = attempts >= maxAttempts ? null : clock.instant().plus(FIRST_BACKOFF.multipliedBy(1L << (attempts - 1)));
        database.write(tx -> {
            tx.entries().markAttemptFailed(entry.kind(), entry.id(), error, Times.format(retryAt));
            return null;
        });
    }

    private static Entry withStatus(Entry e) {
        return new Entry(e.id(), e.kind(), e.categoryCode(), e.section(), e.title(), e.playbook(), e.context(), e.content(),
                e.summary(), e.source(), e.syncStatus(), e.author(), EmbeddingStatus.EMBEDDED, e.createdAt(), e.updatedAt(),
                e.syncedAt(), e.exportedAt());
    }
}
