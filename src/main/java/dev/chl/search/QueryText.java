package dev.chl.search;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A query as assistants send it: {@code [SEARCH] short phrase [TASK] what I am about to do}. The markers are
 * structure, not words; the phrase says what to find, the task only adds context. A plain query is all phrase.
 */
record QueryText(String phrase, String task) {
    private static final Pattern MARKERS = Pattern.compile("\\[(SEARCH|TASK)]", Pattern.CASE_INSENSITIVE);

    static QueryText parse(String raw) {
        Matcher m = MARKERS.matcher(raw);
        if (!m.find()) {
            return new QueryText(raw.strip(), "");
        }
        StringBuilder phrase = new StringBuilder();
        StringBuilder task = new StringBuilder();
        String before = raw.substring(0, m.start()).strip();
        phrase.append(before);
        String marker = m.group(1).toUpperCase(java.util.Locale.ROOT);
        int from = m.end();
        while (true) {
            boolean more = m.find();
            String part = raw.substring(from, more ? m.start() : raw.length()).strip();
            (marker.equals("SEARCH") ? phrase : task).append(' ').append(part);
            if (!more) {
                break;
            }
            marker = m.group(1).toUpperCase(java.util.Locale.ROOT);
            from = m.end();
        }
        String p = phrase.toString().strip();
        String t = task.toString().strip();
        // Only a task given: it is all we have to search with.
        return p.isEmpty() ? new QueryText(t, "") : new QueryText(p, t);
    }

    /** The text to embed: the phrase, with the task as a short tail of context. */
    String forEmbedding() {
        return task.isEmpty() ? phrase : phrase + ". " + task;
    }
}
