package dev.chl.embed;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The short pieces of text that get their own vectors besides the whole text. One pooled vector of a whole entry
 * weighs its main topic and drowns a clause such as its setting ("in the billing service", "under peak load"); a
 * question that names the same setting in other words then ranks a same-topic entry from another setting as high.
 * Scoring every query piece against its best entry piece (a small MaxSim, see the relevance benchmark) lets each
 * clause count. Pieces are generic: an entry's title and its sentences; a query's windows of five words, side by
 * side (queries rarely have punctuation to cut at; overlapping windows measured no better and cost twice the
 * query-time embeddings).
 */
public final class Pieces {
    /** Bounds the extra embedding work for a long manual: the opening sentences carry its gist. */
    static final int MAX_DOCUMENT_PIECES = 12;
    static final int QUERY_WINDOW = 5;
    static final int MAX_QUERY_PIECES = 8;
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+|\\n+");
    private static final Pattern PUNCTUATION = Pattern.compile("[,;:.!?()\\[\\]\"]");

    private Pieces() {}

    /** The title and the body's sentences (at least two words each), without repeats. */
    public static List<String> ofDocument(String title, String body) {
        LinkedHashSet<String> pieces = new LinkedHashSet<>();
        pieces.add(title.strip());
        for (String sentence : SENTENCE_END.split(body == null ? "" : body)) {
            if (pieces.size() >= MAX_DOCUMENT_PIECES) {
                break;
            }
            String s = sentence.strip();
            if (s.split("\\s+").length >= 2) {
                pieces.add(s);
            }
        }
        pieces.remove("");
        return List.copyOf(pieces);
    }

    /**
     * Consecutive windows of five words (the last one ends at the last word, so it may overlap its neighbour); none for
     * a query of five words or fewer (the whole covers it).
     */
    public static List<String> ofQuery(String query) {
        String[] words = PUNCTUATION.matcher(query).replaceAll(" ").strip().split("\\s+");
        List<String> pieces = new ArrayList<>();
        if (words.length <= QUERY_WINDOW) {
            return pieces;
        }
        for (int start = 0; pieces.size() < MAX_QUERY_PIECES; start += QUERY_WINDOW) {
            int end = Math.min(words.length, start + QUERY_WINDOW);
            pieces.add(String.join(" ", Arrays.copyOfRange(words, end - QUERY_WINDOW, end)));
            if (end == words.length) {
                break;
            }
        }
        return pieces;
    }
}
