package dev.chl.mcp;

import dev.chl.entries.CategoryService;
import dev.chl.entries.EntryService;
import dev.chl.search.SearchService;
import dev.chl.entries.EntryViews;
import dev.chl.model.Actor;
import dev.chl.model.Channel;
import dev.chl.model.DuplicateReport;
import dev.chl.model.Kind;
import dev.chl.model.Page;
import dev.chl.search.SearchViews;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The library served in-process by the feature facades; writes are audited as source {@code mcp}. */
final class LocalLibrary implements Library {
    private final CategoryService categories;
    private final EntryService entries;
    private final SearchService search;
    private final String description;

    LocalLibrary(CategoryService categories, EntryService entries, SearchService search, String description) {
        this.categories = categories;
        this.entries = entries;
        this.search = search;
        this.description = description;
    }

    @Override
    public List<Map<String, Object>> categories() {
        return categories.list().stream().map(EntryViews::category).toList();
    }

    @Override
    public Map<String, Object> listByCategory(String kind, String categoryCode, int limit) {
        Page<dev.chl.model.Entry> page = entries.list(Kind.fromWire("entity_type", kind),
                Map.of("category", categoryCode, "limit", Integer.toString(limit)));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", page.items().stream().map(EntryViews::entry).toList());
        body.put("next_cursor", page.nextCursor());
        return body;
    }

    @Override
    public Map<String, Object> search(String query, String kind, String categoryCode, int limit) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", query);
        body.put("kind", kind);
        if (categoryCode != null) {
            body.put("category", categoryCode);
        }
        body.put("limit", limit);
        return SearchViews.results(search.search(body));
    }

    @Override
    public Map<String, Object> entry(String id) {
        return EntryViews.entry(entries.get(id));
    }

    @Override
    public Map<String, Object> create(String actor, String kind, Map<String, Object> data) {
        return EntryViews.created(entries.create(new Actor(actor, Channel.MCP), Kind.fromWire("entity_type", kind), data));
    }

    @Override
    public Map<String, Object> update(String actor, String kind, String id, Map<String, Object> updates, Instant readAt) {
        return EntryViews.entry(entries.update(new Actor(actor, Channel.MCP), Kind.fromWire("entity_type", kind), id, updates, readAt));
    }

    @Override
    public Map<String, Object> duplicates(Map<String, Object> body) {
        DuplicateReport report = search.duplicates(body);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("matches", EntryViews.matches(report.matches()));
        answer.put("guidance", report.guidance());
        return answer;
    }

    @Override
    public String description() {
        return description;
    }
}
