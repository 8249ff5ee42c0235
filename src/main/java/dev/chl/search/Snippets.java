package dev.chl.search;

import dev.chl.common.Text;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Picks the sentence of a body that shares the most words with the query, trimmed to a preview length. */
final class Snippets {
    static final int MAX = 220;
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+|\\n+");
    private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");

    private Snippets() {}

    static String best(String body, String query) {
        if (body == null || body.isBlank()) {
            return "";
        }
        Set<String> words = words(query);
        String best = null;
        int bestScore = -1;
        for (String sentence : SENTENCE_END.split(body.strip())) {
            int score = 0;
            for (String w : NON_WORD.split(sentence.toLowerCase(Locale.ROOT))) {
                if (w.length() > 2 && words.contains(w)) {
                    score++;
                }
            }
            if (score > bestScore) {
                best = sentence;
                bestScore = score;
            }
        }
        String text = (bestScore <= 0 ? body.strip() : best).replaceAll("\\s+", " ");
        return Text.preview(text, MAX);
    }

    private static Set<String> words(String text) {
        return java.util.Arrays.stream(NON_WORD.split(text.toLowerCase(Locale.ROOT)))
                .filter(w -> w.length() > 2)
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }
}
