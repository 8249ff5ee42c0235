package dev.chl.search;

import dev.chl.common.Input;
import dev.chl.common.ValidationException;
import dev.chl.embed.CachingEmbedder;
import dev.chl.embed.Embedder;
import dev.chl.embed.Pieces;
import dev.chl.entries.DuplicateCheck;
import dev.chl.index.Filter;
import dev.chl.index.Hit;
import dev.chl.index.IndexDamagedException;
import dev.chl.index.LuceneIndex;
import dev.chl.index.WeightedText;
import dev.chl.model.Category;
import dev.chl.model.DuplicateMatch;
import dev.chl.model.DuplicateReport;
import dev.chl.model.Entry;
import dev.chl.model.Kind;
import dev.chl.settings.SearchSettings;
import dev.chl.settings.SettingsService;
import dev.chl.store.Database;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The search facade: hybrid retrieval (BM25 and vector kNN fused by reciprocal rank) and the duplicate check that
 * every create runs.
 */
public final class SearchService implements DuplicateCheck {
    private static final Logger LOG = LoggerFactory.getLogger(SearchService.class);
    public static final int MAX_LIMIT = 50;
    static final int CANDIDATES = 50;
    /** How many fused results the piece vectors re-rank (the right entry is in the top 30 for ~90% of queries). */
    static final int RERANK = 30;
    static final float TASK_WEIGHT = 0.3f;
    static final double LEXICAL_WEIGHT = 1.0;
    static final double VECTOR_WEIGHT = 1.0;
    /** The fused score of a document ranked first by both paths; scores are reported relative to it (0–1]. */
    static final double BEST_FUSED = (LEXICAL_WEIGHT + VECTOR_WEIGHT) / (Fusion.K + 1);
    static final int DUPLICATE_MATCHES = 5;
    static final double DUPLICATE_FLOOR = 0.5;
    /** How many not-yet-embedded entries (the lexically closest) a duplicate check also compares. */
    static final int UNEMBEDDED_CANDIDATES = 3;
    /** How much of a new entry's body its lexical search for not-yet-embedded candidates reads. */
    private static final int CANDIDATE_QUERY_CHARS = 2_000;

    private final LuceneIndex index;
    private final IndexService indexService;
    private final Database database;
    private final Embedder embedder;
    private final SettingsService settings;
    /**
     * One daemon thread per core (nothing to close): window embedding is CPU work, so more threads than cores would
     * only make concurrent searches slower; past that, windows wait their turn.
     */
    private final Executor windowEmbedding = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(),
            Thread.ofPlatform().daemon().name("query-windows-", 0).factory());

    public SearchService(IndexService indexService, Database database, Embedder embedder, SettingsService settings) {
        this.indexService = indexService;
        this.index = indexService.index();
        this.database = database;
        this.embedder = embedder;
        this.settings = settings;
    }

    /** {@code POST /api/v1/search} body: query, kind (experience | manual | all), category, limit. */
    public SearchResults search(Map<String, ?> body) {
        Input in = new Input(body).allowOnly(Set.of("query", "kind", "category", "limit"));
        String query = in.readOnlyText("query", 2000, true);
        String kind = kindFilter(in);
        String category = Category.filter(in, "category");
        Integer limit = in.integer("limit", 1, MAX_LIMIT);
        in.check();
        return search(query, kind, category, limit == null ? 10 : limit);
    }

    /** @param kind "experience", "manual" or null for both */
    public SearchResults search(String query, String kind, String category, int limit) {
        return search(query, kind, category, limit, LEXICAL_WEIGHT, VECTOR_WEIGHT);
    }

    /** The retrieval paths can be weighted (0 switches one off), to measure each (see the relevance benchmark). */
    SearchResults search(String query, String kind, String category, int limit, double lexicalWeight, double vectorWeight) {
        try {
            return searchIndex(query, kind, category, limit, lexicalWeight, vectorWeight);
        } catch (IndexDamagedException e) {
            throw indexService.unavailable(e);
        }
    }

    private SearchResults searchIndex(String query, String kind, String category, int limit, double lexicalWeight, double vectorWeight) {
        boolean useLexical = lexicalWeight > 0;
        // Before the first entry is embedded there is nothing to compare a query vector with: skip the model.
        boolean useVector = vectorWeight > 0 && hasVectors();
        QueryText q = QueryText.parse(query);
        if (q.phrase().isEmpty()) {
            throw new ValidationException("query", "has no words besides its [SEARCH] / [TASK] markers; say what to find after [SEARCH]");
        }
        Filter filter = new Filter(kind, category);
        List<WeightedText> parts = new ArrayList<>();
        parts.add(new WeightedText(q.phrase(), 1f));
        if (!q.task().isEmpty()) {
            parts.add(new WeightedText(q.task(), TASK_WEIGHT));
        }
        // The query's word windows are embedded on another core while this thread retrieves: they are only needed
        // for the re-rank at the end, and they are most of a query's embedding time.
        CompletableFuture<List<float[]>> windows = useVector ? windowVectors(q) : null;
        List<Hit> lexical = useLexical ? index.lexical(parts, filter, CANDIDATES) : List.of();
        float[] whole = useVector ? wholeVector(q) : null;
        List<Hit> found = whole == null ? null : vectorHits(whole, filter);
        List<Hit> vector = found == null ? List.of() : found;
        List<Fusion.Fused> fused = Fusion.fuse(lexical, lexicalWeight, vector, vectorWeight);
        if (!vector.isEmpty()) {
            QueryVectors qv = new QueryVectors(whole, windows.join());
            fused = Fusion.rerank(fused, RERANK, fineScores(qv, fused), vectorWeight);
        }
        List<SearchResult> results = fused.stream().limit(limit).map(f -> new SearchResult(f.hit.id(), f.hit.kind(),
                f.hit.categoryCode(), f.hit.title(), Snippets.best(f.hit.body(), q.phrase()), round(f.score() / BEST_FUSED),
                List.copyOf(f.matchedBy)))
                .toList();
        return new SearchResults(found == null ? "lexical" : "hybrid", results);
    }

    /** {@code POST /api/v1/search/duplicates} body: kind, category_code?, title, body. */
    public DuplicateReport duplicates(Map<String, ?> body) {
        Input in = new Input(body).allowOnly(Set.of("kind", "category_code", "title", "body"));
        Kind kind = in.parsed("kind", v -> Kind.fromWire("kind", v));
        if (!in.present("kind")) {
            in.error("kind", "is required; use experience or manual");
        }
        String category = Category.filter(in, "category_code");
        String title = in.readOnlyText("title", 120, true);
        String text = in.readOnlyText("body", 100_000, true);
        in.check();
        return check(kind, category, title, text, null);
    }

    @Override
    public DuplicateReport check(Kind kind, String categoryCode, String title, String body) {
        // A create compares with every shelf: a near-copy on another shelf is still a near-copy.
        return check(kind, null, title, body, null);
    }

    /** The nearest entries of {@code kind} to a text, excluding {@code selfId}, with guidance by the thresholds. */
    public DuplicateReport check(Kind kind, String categoryCode, String title, String body, String selfId) {
        SearchSettings thresholds = settings.search();
        float[] vector;
        try {
            vector = embedder.embedDocument(Entry.embeddingText(title, body));
        } catch (RuntimeException e) {
            LOG.warn("duplicate check skipped: embedding failed", e);
            return new DuplicateReport(List.of(), "Duplicate check unavailable (the embedding model failed); check by searching before you add.");
        }
        Filter filter = new Filter(kind.wire(), categoryCode);
        List<Hit> nearest;
        try {
            nearest = new ArrayList<>(index.vector(vector, filter, DUPLICATE_MATCHES + 1));
            nearest.addAll(waitingForEmbedding(vector, kind, title, body, filter, selfId));
        } catch (IndexDamagedException e) {
            // The entry is saved all the same (the database is the truth); the rebuild that heals the index is started.
            return new DuplicateReport(List.of(), "Duplicate check unavailable (the search index is damaged and being rebuilt); "
                    + "check by searching once it is back before you add more.");
        }
        nearest.sort(java.util.Comparator.comparingDouble(Hit::score).reversed());
        Set<String> seen = new java.util.HashSet<>();
        List<DuplicateMatch> matches = nearest.stream()
                // Below the floor a match is noise, unless the related threshold was set lower still.
                .filter(h -> !h.id().equals(selfId) && h.score() >= Math.min(DUPLICATE_FLOOR, thresholds.relatedThreshold()))
                .filter(h -> seen.add(h.id()))
                .limit(DUPLICATE_MATCHES)
                .map(h -> new DuplicateMatch(h.id(), Kind.fromWire("kind", h.kind()), h.title(), Math.min(1.0, h.score())))
                .toList();
        return new DuplicateReport(matches, guidance(matches, thresholds));
    }

    /**
     * Entries saved but not embedded yet have no vector in the index, yet a copy of one is still a copy (an assistant
     * retrying a create, two recording the same lesson while the workers are busy or paused). The few lexically
     * closest of them, and the few written since the index last refreshed, are compared by their own embedding: a
     * create just embedded its text for its own check, so recent ones come from the embedder's cache (and an entry
     * compared once stays there); others cost one model call each — while a backlog exists, or for an entry whose
     * embedding failed for good and stays without a vector.
     */
    private List<Hit> waitingForEmbedding(float[] vector, Kind kind, String title, String body, Filter filter, String selfId) {
        // The start of a long body finds the lexical candidates as well as all of it would, at a fraction of the work.
        String bodyStart = body.length() > CANDIDATE_QUERY_CHARS ? body.substring(0, CANDIDATE_QUERY_CHARS) : body;
        Map<String, Hit> candidates = new java.util.LinkedHashMap<>();
        for (Hit h : index.lexical(List.of(new WeightedText(title, 1f), new WeightedText(bodyStart, 1f)), filter.withoutVector(),
                UNEMBEDDED_CANDIDATES)) {
            candidates.putIfAbsent(h.id(), h);
        }
        // Saved a moment ago, before the index's next refresh shows them (an assistant retrying its create).
        for (Entry e : indexService.recentWrites(kind, filter.categoryCode(), UNEMBEDDED_CANDIDATES)) {
            candidates.putIfAbsent(e.id(), new Hit(e.id(), e.kind().wire(), e.categoryCode(), e.title(), e.body(), 0f, 0f));
        }
        candidates.remove(selfId); // each embedded once, and never the entry being checked
        List<Hit> scored = new ArrayList<>(candidates.size());
        for (Hit h : candidates.values()) {
            float[] theirs;
            try {
                theirs = embedder.embedDocument(Entry.embeddingText(h.title(), h.body()));
            } catch (RuntimeException e) {
                LOG.warn("duplicate check skipped {}: embedding its text failed", h.id(), e);
                continue;
            }
            scored.add(new Hit(h.id(), h.kind(), h.categoryCode(), h.title(), h.body(), (float) QueryVectors.dot(vector, theirs), 1f));
        }
        return scored;
    }

    @Override
    public boolean needsConfirmation(DuplicateReport report) {
        return closeness(report) != Closeness.NEW;
    }

    /** How close a report's nearest match is, by the thresholds in force now. */
    public Closeness closeness(DuplicateReport report) {
        return Closeness.of(report.matches(), settings.search());
    }

    static String guidance(List<DuplicateMatch> matches, SearchSettings t) {
        Closeness closeness = Closeness.of(matches, t);
        if (closeness == Closeness.NEW) {
            return "No close entries: this adds something new.";
        }
        DuplicateMatch top = matches.getFirst();
        // Truncated, not rounded: 0.846 must not read as 0.85 next to "related" when 0.85 means too close.
        String score = String.format(java.util.Locale.ROOT, "%.3f", Math.floor(top.score() * 1000) / 1000);
        if (closeness == Closeness.TOO_CLOSE) {
            return "Too close to " + top.id() + " (\"" + top.title() + "\", similarity " + score + "): refactor both into more "
                    + "orthogonal entries, or update the existing one instead of adding a near-copy.";
        }
        return "Related to " + top.id() + " (\"" + top.title() + "\", similarity " + score + "): differentiate — make the "
                + "title and " + (top.kind() == Kind.MANUAL ? "content" : "playbook") + " say what this entry covers that the "
                + "other does not.";
    }

    /** The query's whole-text vector; null when the model failed. */
    private float[] wholeVector(QueryText q) {
        try {
            return embedder.embedQuery(q.forEmbedding());
        } catch (RuntimeException e) {
            LOG.warn("query embedding failed; answering lexically", e);
            return null;
        }
    }

    /** The vectors of the query's word windows (see {@link Pieces#ofQuery}); none when the model failed. */
    private CompletableFuture<List<float[]>> windowVectors(QueryText q) {
        List<String> windows = Pieces.ofQuery(q.forEmbedding());
        if (windows.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        return CompletableFuture.supplyAsync(() -> windows.stream().map(embedder::embedQuery).toList(), windowEmbedding)
                .exceptionally(e -> {
                    LOG.warn("query window embedding failed; re-ranking by the whole query only", e);
                    return List.of();
                });
    }

    /**
     * The piece score of the first {@link #RERANK} fused results, from their stored vectors (none on failure). Vectors
     * made from another text are skipped: an edited entry is matched by its words until it is embedded again.
     */
    private Map<String, Double> fineScores(QueryVectors qv, List<Fusion.Fused> fused) {
        Map<String, String> currentText = new HashMap<>();
        fused.stream().limit(RERANK).forEach(f -> currentText.put(f.hit.id(),
                CachingEmbedder.sha256(Entry.embeddingText(f.hit.title(), f.hit.body()))));
        Map<String, Double> scores = new HashMap<>();
        try {
            database.read(tx -> tx.vectors().withPieces(embedder.modelId(), List.copyOf(currentText.keySet())))
                    .forEach((id, stored) -> {
                        if (stored.textSha256().equals(currentText.get(id))) {
                            scores.put(id, qv.fineScore(stored));
                        }
                    });
        } catch (RuntimeException e) {
            LOG.warn("piece vectors unavailable; results keep their fused order", e);
        }
        return scores;
    }

    private boolean hasVectors() {
        try {
            return index.hasVectors();
        } catch (IndexDamagedException e) {
            throw e; // not a vector problem: the whole index is unreadable (503, and the heal has started)
        } catch (RuntimeException e) {
            LOG.warn("could not read the index's vector count; answering lexically", e);
            return false;
        }
    }

    /** The vector candidates; null when the vector search failed (the answer is then lexical, and says so). */
    private List<Hit> vectorHits(float[] query, Filter filter) {
        try {
            return index.vector(query, filter, CANDIDATES);
        } catch (IndexDamagedException e) {
            throw e; // answering "lexically" from a damaged index would hide it
        } catch (RuntimeException e) {
            LOG.warn("vector search failed; answering lexically", e);
            return null;
        }
    }

    private static String kindFilter(Input in) {
        String kind = in.string("kind");
        if (kind == null || kind.equals("all")) {
            return null;
        }
        if (!kind.equals("experience") && !kind.equals("manual")) {
            in.error("kind", "'" + kind + "' is not allowed; use experience, manual or all");
            return null;
        }
        return kind;
    }

    private static double round(double score) {
        return Math.round(score * 10000) / 10000.0;
    }
}
