package dev.chl.api;

import dev.chl.http.HttpModule;
import dev.chl.http.JsonBodies;
import dev.chl.model.DuplicateReport;
import dev.chl.entries.EntryViews;
import dev.chl.search.SearchViews;
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
        cfg.routes.post("/api/v1/search", ctx -> ctx.json(SearchViews.results(search.search(bodies.object(ctx)))));
        cfg.routes.post("/api/v1/search/duplicates", ctx -> {
            DuplicateReport report = search.duplicates(bodies.object(ctx));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("matches", EntryViews.matches(report.matches()));
            body.put("guidance", report.guidance());
            ctx.json(body);
        });
    }
}
