package dev.chl.search;

import dev.chl.index.Hit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reciprocal rank fusion: each list adds weight / (K + rank) to a document's score, which is robust to the unlike
 * score scales of BM25 and cosine. A lexical hit counts in proportion to the square of the share of the query's words
 * it contains: a document holding most of the words (a quoted fragment, a keyword list) is strong evidence, one that
 * shares only a few common words with a reworded question is not, and must not push the semantic matches down.
 */
final class Fusion {
    static final int K = 60;

    private Fusion() {}

    static List<Fused> fuse(List<Hit> lexical, double lexicalWeight, List<Hit> vector, double vectorWeight) {
        Map<String, Fused> byId = new LinkedHashMap<>();
        add(byId, lexical, lexicalWeight, "lexical");
        add(byId, vector, vectorWeight, "vector");
        List<Fused> fused = new ArrayList<>(byId.values());
        sort(fused);
        return fused;
    }

    /**
     * Re-ranks the first {@code n} fused results by a finer semantic score: among those that have one in {@code fine}
     * (by id), the vector path's term becomes weight / (K + rank by that score), replacing the rank the single-vector
     * kNN gave them. The lexical terms stay, so BM25 keeps its say on fragments and keyword lists. Only a few
     * candidates are scored, so the cost stays bounded whatever the size of the index.
     */
    static List<Fused> rerank(List<Fused> fused, int n, Map<String, Double> fine, double vectorWeight) {
        List<Fused> candidates = new ArrayList<>();
        for (Fused f : fused.subList(0, Math.min(n, fused.size()))) {
            if (fine.containsKey(f.hit.id())) {
                candidates.add(f);
            }
        }
        candidates.sort((a, b) -> Double.compare(fine.get(b.hit.id()), fine.get(a.hit.id())));
        for (int rank = 0; rank < candidates.size(); rank++) {
            Fused f = candidates.get(rank);
            f.vector = vectorWeight / (K + rank + 1);
            if (!f.matchedBy.contains("vector")) {
                f.matchedBy.add("vector");
            }
        }
        List<Fused> out = new ArrayList<>(fused);
        sort(out);
        return out;
    }

    private static void sort(List<Fused> fused) {
        fused.sort((a, b) -> Double.compare(b.score(), a.score()));
    }

    private static void add(Map<String, Fused> byId, List<Hit> hits, double weight, String path) {
        for (int rank = 0; rank < hits.size(); rank++) {
            Hit hit = hits.get(rank);
            Fused f = byId.computeIfAbsent(hit.id(), id -> new Fused(hit));
            double term = weight * hit.coverage() * hit.coverage() / (K + rank + 1);
            if (path.equals("lexical")) {
                f.lexical += term;
            } else {
                f.vector += term;
            }
            f.matchedBy.add(path);
        }
    }

    static final class Fused {
        final Hit hit;
        double lexical;
        double vector;
        final List<String> matchedBy = new ArrayList<>(2);

        Fused(Hit hit) {
            this.hit = hit;
        }

        double score() {
            return lexical + vector;
        }
    }
}
