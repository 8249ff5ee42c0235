package dev.chl.search;

import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON shape of search results in API.md, shared by every adapter that renders them. */
public final class SearchViews {
    private SearchViews() {}

    public static Map<String, Object> results(SearchResults results) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("mode", results.mode());
        body.put("results", results.results().stream().map(SearchViews::result).toList());
        return body;
    }

    public static Map<String, Object> result(SearchResult r) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", r.id());
        map.put("kind", r.kind());
        map.put("category_code", r.categoryCode());
        map.put("title", r.title());
        map.put("snippet", r.snippet());
        map.put("score", r.score());
        map.put("matched_by", r.matchedBy());
        return map;
    }
}
