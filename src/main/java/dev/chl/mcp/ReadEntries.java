package dev.chl.mcp;

import dev.chl.common.Input;
import dev.chl.common.Text;
import dev.chl.common.ValidationException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How {@code read_entries} answers a model with as few tokens as do the job: by ids → full bodies; by query → the
 * ranked matches (previews with scores, or full bodies on request); by category → the whole shelf when it is small,
 * previews of the newest first when it is large, with a hint how to fetch the rest.
 */
final class ReadEntries {
    static final int SMALL_SHELF = 20;
    static final int DEFAULT_LIMIT = 10;
    static final int MAX_LIMIT = 50;
    static final int MAX_IDS = 50;
    private static final int PREVIEW_CHARS = 160;

    private final Library library;

    ReadEntries(Library library) {
        this.library = library;
    }

    Map<String, Object> read(Map<String, Object> args) {
        Input in = new Input(args).allowOnly(Set.of("entity_type", "category_code", "query", "ids", "fields", "limit"));
        String kind = in.string("entity_type");
        if (kind == null) {
            in.error("entity_type", "is required; use experience or manual");
        } else if (!kind.equals("experience") && !kind.equals("manual")) {
            in.error("entity_type", "'" + kind + "' is not allowed; use experience or manual");
        }
        String category = in.string("category_code");
        String query = in.readOnlyText("query", 2000, false);
        String fields = in.string("fields");
        if (fields != null && !fields.equals("preview") && !fields.equals("full")) {
            in.error("fields", "'" + fields + "' is not allowed; use preview or full");
        }
        Integer limit = in.integer("limit", 1, MAX_LIMIT);
        List<String> ids = ids(in, args.get("ids"));
        in.check();
        int n = limit == null ? DEFAULT_LIMIT : limit;
        if (ids != null) {
            return byIds(ids);
        }
        if (query != null) {
            return byQuery(kind, category, query, n, "full".equals(fields));
        }
        if (category != null && !category.isEmpty()) {
            return byCategory(kind, category, limit, fields);
        }
        throw new ValidationException("query", "give one of category_code (browse a shelf), query (search) or ids (full entries)");
    }

    private Map<String, Object> byIds(List<String> ids) {
        List<Map<String, Object>> entries = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String id : ids) {
            try {
                entries.add(library.entry(id));
            } catch (dev.chl.common.NotFoundException e) {
                missing.add(id);
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("entries", entries);
        if (!missing.isEmpty()) {
            body.put("missing_ids", missing);
        }
        return body;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> byQuery(String kind, String category, String query, int limit, boolean full) {
        if (category != null && !category.isEmpty()) {
            // A search on a shelf that does not exist would answer "nothing found" and mislead the model.
            requireCategory(category);
        }
        Map<String, Object> found = library.search(query, kind, category, limit);
        List<Map<String, Object>> results = (List<Map<String, Object>>) found.get("results");
        List<Map<String, Object>> entries = new ArrayList<>();
        for (Map<String, Object> r : results) {
            Map<String, Object> e = new LinkedHashMap<>();
            if (full) {
                e.putAll(library.entry((String) r.get("id")));
            } else {
                e.put("id", r.get("id"));
                e.put("category_code", r.get("category_code"));
                e.put("title", r.get("title"));
                e.put("snippet", r.get("snippet"));
            }
            e.put("score", r.get("score"));
            e.put("matched_by", r.get("matched_by"));
            entries.add(e);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("mode", found.get("mode"));
        body.put("entries", entries);
        if (!full && !entries.isEmpty()) {
            body.put("hint", "previews; call read_entries with ids=[…] for the full text of the ones you will use");
        }
        return body;
    }

    /** @param limit the caller's limit, or null: then a small shelf comes whole and a large one as the default page */
    @SuppressWarnings("unchecked")
    private Map<String, Object> byCategory(String kind, String category, Integer limit, String fields) {
        long shelfSize = library.categories().stream()
                .filter(c -> category.equals(c.get("code")))
                .mapToLong(c -> ((Number) c.get(kind.equals("experience") ? "experience_count" : "manual_count")).longValue())
                .findFirst()
                .orElseThrow(() -> unknownCategory(category));
        boolean full = "full".equals(fields) || (fields == null && shelfSize <= SMALL_SHELF);
        int size = limit != null ? limit
                : full && fields == null ? (int) Math.max(1, Math.min(shelfSize, SMALL_SHELF)) : DEFAULT_LIMIT;
        Map<String, Object> page = library.listByCategory(kind, category, size);
        List<Map<String, Object>> items = (List<Map<String, Object>>) page.get("items");
        List<Map<String, Object>> entries = full ? items : items.stream().map(ReadEntries::preview).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("category_code", category);
        body.put("total", shelfSize);
        body.put("entries", entries);
        if (entries.size() < shelfSize) {
            body.put("hint", "showing the newest " + entries.size() + " of " + shelfSize + (full ? "" : " as previews")
                    + "; narrow with query=…, or call read_entries with ids=[…] for full entries");
        }
        return body;
    }

    /** Refuses a category code the library does not have, naming the tool's argument. */
    void requireCategory(String category) {
        if (library.categories().stream().noneMatch(c -> category.equals(c.get("code")))) {
            throw unknownCategory(category);
        }
    }

    private static ValidationException unknownCategory(String category) {
        return new ValidationException("category_code", "unknown category '" + category + "'; call list_categories for the shelves");
    }

    private static Map<String, Object> preview(Map<String, Object> entry) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("id", entry.get("id"));
        p.put("title", entry.get("title"));
        if (entry.get("section") != null) {
            p.put("section", entry.get("section"));
        }
        String body = (String) (entry.get("playbook") != null ? entry.get("playbook") : entry.get("content"));
        String flat = body == null ? "" : body.replaceAll("\\s+", " ").strip();
        p.put("snippet", Text.preview(flat, PREVIEW_CHARS));
        return p;
    }

    private static List<String> ids(Input in, Object raw) {
        if (raw == null) {
            return null;
        }
        if (!(raw instanceof List<?> list) || list.stream().anyMatch(x -> !(x instanceof String))) {
            in.error("ids", "must be a list of entry ids, e.g. [\"EXP-ABC-20260101-120000000\"]");
            return null;
        }
        if (list.isEmpty() || list.size() > MAX_IDS) {
            in.error("ids", "give between 1 and " + MAX_IDS + " ids");
            return null;
        }
        return list.stream().map(x -> ((String) x).strip()).toList();
    }
}
