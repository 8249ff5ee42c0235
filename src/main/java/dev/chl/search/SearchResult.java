package dev.chl.search;

import java.util.List;

/** One answer to a search: which entry, a snippet of the matched text, the fused score and the paths that found it. */
public record SearchResult(String id, String kind, String categoryCode, String title, String snippet, double score,
                           List<String> matchedBy) {}
