package dev.chl.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;

/** Test data: unique category codes per test (so tests sharing a server never meet) and valid entry bodies. */
public final class Fixtures {
    // First letters no seeded category uses (seeds: GLN ARC API DAT TST ERR PRF SEC OPS DOC), and Q is kept for
    // codes that must never exist.
    private static final String FIRST = "ZYXWVUKJHB";
    private static final AtomicInteger NEXT = new AtomicInteger();
    /** A well-formed category code that no test ever creates. */
    public static final String NEVER_CREATED = "QQQ";

    private Fixtures() {}

    /** A fresh, well-formed category code, unique within this JVM. */
    public static String uniqueCode() {
        int n = NEXT.getAndIncrement();
        if (n >= FIRST.length() * 26 * 26) {
            throw new IllegalStateException("ran out of test category codes");
        }
        return "" + FIRST.charAt(n / (26 * 26)) + (char) ('A' + (n / 26) % 26) + (char) ('A' + n % 26);
    }

    /** Creates a category with a fresh code through the API and returns the code. */
    public static String newCategory(Http http) {
        String code = uniqueCode();
        Http.Response r = http.post("/api/v1/categories", Map.of("code", code, "name", "Test shelf " + code, "description", "made by a test"));
        assertThat(r.status()).as("create category %s: %s", code, r).isEqualTo(201);
        return code;
    }

    public static Map<String, Object> experience(String category, String title) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("category_code", category);
        body.put("section", "useful");
        body.put("title", title);
        body.put("playbook", "Do the thing for " + title + ", then check it.");
        return body;
    }

    public static Map<String, Object> manual(String category, String title) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("category_code", category);
        body.put("title", title);
        body.put("content", "Long-form background about " + title + ".");
        return body;
    }

    /** Creates an experience and returns the stored entry (the {@code entry} member of the 201 body). */
    public static JsonNode createExperience(Http http, String category, String title) {
        return create(http, "experiences", experience(category, title));
    }

    public static JsonNode createManual(Http http, String category, String title) {
        return create(http, "manuals", manual(category, title));
    }

    public static JsonNode create(Http http, String kind, Map<String, Object> body) {
        Http.Response r = http.post("/api/v1/" + kind, body);
        assertThat(r.status()).as("create %s: %s", kind, r).isEqualTo(201);
        return r.json().path("entry");
    }

    /**
     * The entry without its embedding_status: the workers embed new entries within a second, so that one field
     * legitimately changes between two reads of the same entry.
     */
    public static JsonNode stable(JsonNode entry) {
        tools.jackson.databind.node.ObjectNode copy = (tools.jackson.databind.node.ObjectNode) entry.deepCopy();
        copy.remove("embedding_status");
        return copy;
    }

    /** Pauses every embedding worker and waits until none is in a batch. */
    public static void pauseWorkers(Http http) {
        http.post("/api/v1/workers/pause", Map.of());
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            boolean allPaused = true;
            for (JsonNode w : http.get("/api/v1/workers").json().path("workers")) {
                allPaused &= w.path("status").asString().equals("paused");
            }
            if (allPaused) {
                return;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("workers did not pause within 10 s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
