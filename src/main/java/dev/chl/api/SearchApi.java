package dev.chl.api;

import dev.chl.http.HttpModule;
import dev.chl.http.JsonBodies;
import dev.chl.model.DuplicateReport;
import dev.chl.search.SearchResult;
import dev.chl.search.SearchResults;
import dev.chl.search.SearchService;
import io.javalin.config.JavalinConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code POST /api/v1/search} and {@code POST /api/v1/search/duplicates}. */
public final class SearchApi implements HttpModule {
    private final SearchService search;
    private final JsonBodies bodies;

    public SearchApi(SearchService search, JsonBodies bodies) {
        this.search = search;
        this.bodies = bodies;
    }

    @Override
    public void register(JavalinConfig cfg) {
        cfg.routes.post("/api/v1/search", ctx -> ctx.json(results(search.search(bodies.object(ctx)))));
        cfg.routes.post("/api/v1/search/duplicates", ctx -> {
            DuplicateReport report = search.duplicates(bodies.object(ctx));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("matches", EntriesApi.matches(report.matches()));
            body.put("guidance", report.guidance());
            ctx.json(body);
        });
    }

    static Map<String, Object> results(SearchResults results) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("mode", results.mode());
        body.put("results", results.results().stream().map(SearchApi::result).toList());
        return body;
    }

    private static Map<String, Object> result(SearchResult r) {
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
