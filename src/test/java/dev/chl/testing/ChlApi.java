package dev.chl.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Steps the search, index and worker tests share: create categories and entries, search, wait for embeddings. */
public final class ChlApi {
    public static final Duration EMBED_TIMEOUT = Duration.ofSeconds(30);

    private final Http http;

    public ChlApi(Http http) {
        this.http = http;
    }

    public static ChlApi of(TestServer server) {
        return new ChlApi(server.http());
    }

    public Http http() {
        return http;
    }

    public void category(String code) {
        Http.Response r = http.post("/api/v1/categories", Map.of("code", code, "name", "Test " + code, "description", "test category"));
        assertThat(r.status()).as("create category %s: %s", code, r.body()).isEqualTo(201);
    }

    /** Creates an experience and returns the whole 201 answer ({entry, duplicates, guidance}). */
    public JsonNode createExperience(String category, String title, String playbook) {
        Http.Response r = http.post("/api/v1/experiences",
                Map.of("category_code", category, "section", "useful", "title", title, "playbook", playbook));
        assertThat(r.status()).as("create experience '%s': %s", title, r.body()).isEqualTo(201);
        return r.json();
    }

    public String experience(String category, String title, String playbook) {
        return createExperience(category, title, playbook).path("entry").path("id").asString();
    }

    public String manual(String category, String title, String content) {
        Http.Response r = http.post("/api/v1/manuals", Map.of("category_code", category, "title", title, "content", content));
        assertThat(r.status()).as("create manual '%s': %s", title, r.body()).isEqualTo(201);
        return r.json().path("entry").path("id").asString();
    }

    public static String kindPath(String id) {
        return id.startsWith("MNL-") ? "manuals" : "experiences";
    }

    public JsonNode entry(String id) {
        Http.Response r = http.get("/api/v1/" + kindPath(id) + "/" + id);
        assertThat(r.status()).as("get %s: %s", id, r.body()).isEqualTo(200);
        return r.json();
    }

    public String embeddingStatus(String id) {
        return entry(id).path("embedding_status").asString();
    }

    public void awaitEmbedded(String... ids) {
        awaitEmbedded(List.of(ids));
    }

    /**
     * Waits until each entry is embedded in the database and its vector is visible to search (the index refreshes
     * a moment after the worker stores the vector, and the duplicate check and vector search only see it then).
     */
    public void awaitEmbedded(List<String> ids) {
        for (String id : ids) {
            JsonNode entry = Await.until(id + " embedded", EMBED_TIMEOUT, () -> entry(id),
                    e -> e.path("embedding_status").asString().equals("embedded"));
            Map<String, Object> query = new LinkedHashMap<>();
            query.put("query", entry.path("title").asString());
            query.put("kind", entry.path("kind").asString());
            query.put("category", entry.path("category_code").asString());
            query.put("limit", 50);
            String body = (entry.path("kind").asString().equals("manual") ? entry.path("content") : entry.path("playbook")).asString()
                    .replaceAll("\\s+", " ");
            // The hit must show the current text too: right after an edit the index may still serve the old version.
            Await.until(id + " searchable by vector", EMBED_TIMEOUT, () -> search(query), answer -> {
                for (JsonNode r : answer.path("results")) {
                    if (r.path("id").asString().equals(id) && r.path("matched_by").toString().contains("vector")
                            && r.path("title").asString().equals(entry.path("title").asString())
                            && body.contains(r.path("snippet").asString().replace("…", ""))) {
                        return true;
                    }
                }
                return false;
            });
        }
    }

    public JsonNode search(String query) {
        return search(Map.of("query", query));
    }

    public JsonNode search(String query, String kind, String category, int limit) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", query);
        if (kind != null) {
            body.put("kind", kind);
        }
        if (category != null) {
            body.put("category", category);
        }
        body.put("limit", limit);
        return search(body);
    }

    public JsonNode search(Map<String, ?> body) {
        Http.Response r = http.post("/api/v1/search", body);
        assertThat(r.status()).as("search %s: %s", body, r.body()).isEqualTo(200);
        return r.json();
    }

    /** The paths that found {@code id} in a search answer (empty when it is not among the results). */
    public static List<String> matchedBy(JsonNode searchAnswer, String id) {
        List<String> paths = new ArrayList<>();
        searchAnswer.path("results").forEach(r -> {
            if (r.path("id").asString().equals(id)) {
                r.path("matched_by").forEach(m -> paths.add(m.asString()));
            }
        });
        return paths;
    }

    /** Whether the words of {@code query} find {@code id} (vector search ranks every document, so it proves nothing here). */
    public boolean foundByWords(String query, String id) {
        return matchedBy(search(query), id).contains("lexical");
    }

    public static List<String> ids(JsonNode searchAnswer) {
        List<String> ids = new ArrayList<>();
        searchAnswer.path("results").forEach(n -> ids.add(n.path("id").asString()));
        return ids;
    }

    /** The ids a search returns, in order. */
    public List<String> searchIds(String query) {
        return ids(search(query));
    }

    public JsonNode index() {
        Http.Response r = http.get("/api/v1/index");
        assertThat(r.status()).as("index status: %s", r.body()).isEqualTo(200);
        return r.json();
    }

    public JsonNode workers() {
        Http.Response r = http.get("/api/v1/workers");
        assertThat(r.status()).as("workers: %s", r.body()).isEqualTo(200);
        return r.json();
    }

    /** POSTs a worker control (pause, resume, drain, retry-failed, worker-1/pause …) and returns the new state. */
    public JsonNode workerControl(String action) {
        Http.Response r = http.post("/api/v1/workers/" + action, Map.of());
        assertThat(r.status()).as("workers/%s: %s", action, r.body()).isEqualTo(200);
        return r.json();
    }

    public JsonNode worker(String id) {
        for (JsonNode w : workers().path("workers")) {
            if (w.path("id").asString().equals(id)) {
                return w;
            }
        }
        throw new AssertionError("no worker " + id + " in " + workers());
    }

    /** Waits until nothing is pending (failed entries may remain). */
    public void awaitQueueEmpty() {
        Await.until("an empty embedding queue", EMBED_TIMEOUT, () -> workers().path("queue").path("pending").asLong(), n -> n == 0);
    }
}
