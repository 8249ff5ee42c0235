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
        fused.sort((a, b) -> Double.compare(b.score, a.score));
        return fused;
    }

    private static void add(Map<String, Fused> byId, List<Hit> hits, double weight, String path) {
        for (int rank = 0; rank < hits.size(); rank++) {
            Hit hit = hits.get(rank);
            Fused f = byId.computeIfAbsent(hit.id(), id -> new Fused(hit));
            f.score += weight * hit.coverage() * hit.coverage() / (K + rank + 1);
            f.matchedBy.add(path);
        }
    }

    static final class Fused {
        final Hit hit;
        double score;
        final List<String> matchedBy = new ArrayList<>(2);

        Fused(Hit hit) {
            this.hit = hit;
        }
    }
}
