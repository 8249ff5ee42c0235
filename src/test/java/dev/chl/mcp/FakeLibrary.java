package dev.chl.mcp;

import dev.chl.common.NotFoundException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** An in-memory {@link Library} that records what it was asked, for tests of the tool logic on its own. */
final class FakeLibrary implements Library {
    final List<Map<String, Object>> categories = new ArrayList<>();
    /** Newest first, as the real listing is. */
    final List<Map<String, Object>> entries = new ArrayList<>();
    final List<String> calls = new ArrayList<>();
    Map<String, Object> searchAnswer = Map.of("mode", "hybrid", "results", List.of());
    /** When set, every call throws what it supplies. */
    Supplier<RuntimeException> failure;
    String lastActor;
    /** When set, a create waits for it to open (a slow call still in flight when stdin ends). */
    volatile java.util.concurrent.CountDownLatch createGate;

    FakeLibrary category(String code, long experiences, long manuals) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("code", code);
        c.put("name", "Shelf " + code);
        c.put("experience_count", experiences);
        c.put("manual_count", manuals);
        categories.add(c);
        return this;
    }

    /** Adds an experience as the newest of its shelf. */
    Map<String, Object> experience(String id, String category, String title, String playbook) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("id", id);
        e.put("kind", "experience");
        e.put("category_code", category);
        e.put("section", "useful");
        e.put("title", title);
        e.put("playbook", playbook);
        entries.addFirst(e);
        return e;
    }

    private void check(String call) {
        calls.add(call);
        if (failure != null) {
            throw failure.get();
        }
    }

    @Override
    public List<Map<String, Object>> categories() {
        check("categories");
        return categories;
    }

    @Override
    public Map<String, Object> listByCategory(String kind, String categoryCode, int limit) {
        check("list " + kind + " " + categoryCode + " " + limit);
        List<Map<String, Object>> items = entries.stream()
                .filter(e -> kind.equals(e.get("kind")) && categoryCode.equals(e.get("category_code")))
                .limit(limit).toList();
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("items", items);
        page.put("next_cursor", null);
        return page;
    }

    @Override
    public Map<String, Object> search(String query, String kind, String categoryCode, int limit) {
        check("search " + query + " " + kind + " " + categoryCode + " " + limit);
        return searchAnswer;
    }

    @Override
    public Map<String, Object> entry(String id) {
        check("entry " + id);
        return entries.stream().filter(e -> id.equals(e.get("id"))).findFirst()
                .orElseThrow(() -> new NotFoundException("no entry with id '" + id + "'"));
    }

    @Override
    public Map<String, Object> create(String actor, String kind, Map<String, Object> data) {
        check("create " + kind + " " + data);
        lastActor = actor;
        if (createGate != null) {
            try {
                createGate.await(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return Map.of("entry", data, "duplicates", List.of(), "guidance", "ok");
    }

    @Override
    public Map<String, Object> update(String actor, String kind, String id, Map<String, Object> updates, java.time.Instant readAt) {
        check("update " + kind + " " + id + " " + updates + (readAt == null ? "" : " at " + readAt));
        lastActor = actor;
        return Map.of("id", id);
    }

    @Override
    public Map<String, Object> duplicates(Map<String, Object> body) {
        check("duplicates " + body);
        return Map.of("matches", List.of(), "guidance", "none");
    }

    @Override
    public String description() {
        return "a fake library";
    }
}
