package dev.chl.search;

import dev.chl.store.StoredVectors;
import java.util.List;

/**
 * A query's vectors for the piece re-rank.
 *
 * @param whole  the whole query's vector
 * @param pieces its word windows' vectors (see {@code Pieces.ofQuery}); empty for a short query
 */
record QueryVectors(float[] whole, List<float[]> pieces) {
    /**
     * The cosine of the whole texts plus a small MaxSim: each query vector (whole and windows) finds its closest entry
     * vector (whole text, title, sentences) and those maxima are averaged, so a clause of the question that only one
     * sentence of the entry matches still counts. Measured in the relevance benchmark (BENCHMARKS.md).
     */
    double fineScore(StoredVectors entry) {
        double maxSim = best(whole, entry);
        for (float[] q : pieces) {
            maxSim += best(q, entry);
        }
        return dot(whole, entry.whole()) + maxSim / (1 + pieces.size());
    }

    private static double best(float[] q, StoredVectors entry) {
        double best = dot(q, entry.whole());
        for (float[] d : entry.pieces()) {
            best = Math.max(best, dot(q, d));
        }
        return best;
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
