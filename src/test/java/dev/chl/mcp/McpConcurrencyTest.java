package dev.chl.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.testing.Fixtures;
import dev.chl.testing.Http;
import dev.chl.testing.Pages;
import dev.chl.testing.Sqlite;
import dev.chl.testing.TestServer;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/** Sixteen MCP sessions writing at once over Streamable HTTP: nothing lost, no id twice, the store intact. */
class McpConcurrencyTest {
    private static final int CLIENTS = 16;
    private static final int PER_CLIENT = 25;
    private static final int TOTAL = CLIENTS * PER_CLIENT;
    private static final Pattern ID = Pattern.compile("^EXP-[A-Z]{3}-\\d{8}-\\d{9}(-[a-z0-9]{1,8})?$");

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void sixteenClientsCreateFourHundredEntriesAtOnce() throws Exception {
        try (TestServer server = TestServer.start()) {
            Http http = server.http();
            String code = Fixtures.newCategory(http);
            String other = Fixtures.newCategory(http);
            Map<String, String> titleById = new ConcurrentHashMap<>();
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            List<McpSyncClient> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                clients.add(McpTesting.http(server.baseUrl(), "writer-" + c));
            }
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            try {
                List<Future<?>> writers = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    int writer = c;
                    McpSyncClient client = clients.get(c);
                    writers.add(pool.submit(() -> {
                        go.await();
                        for (int i = 0; i < PER_CLIENT; i++) {
                            String title = "writer " + writer + " entry " + i;
                            // Most go to one shelf (ids collide within a millisecond), a few to another.
                            String category = i % 5 == 4 ? other : code;
                            McpSchema.CallToolResult r = McpTesting.call(client, "create_entry", Map.of("entity_type", "experience",
                                    "category_code", category, "data", Map.of("section", "useful", "title", title,
                                            "playbook", "Playbook of writer " + writer + ", entry " + i + ".")));
                            if (Boolean.TRUE.equals(r.isError())) {
                                failures.add(title + ": " + McpTesting.text(r));
                                continue;
                            }
                            JsonNode entry = McpTesting.structured(r).path("entry");
                            String previous = titleById.put(entry.path("id").asString(), title);
                            if (previous != null) {
                                failures.add("id " + entry.path("id").asString() + " given to both '" + previous + "' and '" + title + "'");
                            }
                        }
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> writer : writers) {
                    writer.get(150, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
                clients.forEach(McpSyncClient::closeGracefully);
            }

            assertThat(failures).as("every create succeeded with its own id").isEmpty();
            assertThat(titleById).hasSize(TOTAL);
            assertThat(titleById.keySet()).allSatisfy(id -> assertThat(id).matches(ID));

            // What the API lists is exactly what the MCP clients were told they created, each under its own title.
            Pages.Walk main = Pages.walk(http, "/api/v1/experiences?category=" + code + "&limit=500", 5);
            Pages.Walk second = Pages.walk(http, "/api/v1/experiences?category=" + other + "&limit=500", 5);
            Set<String> listed = new HashSet<>(main.ids());
            listed.addAll(second.ids());
            assertThat(main.ids().size() + second.ids().size()).as("no entry listed twice").isEqualTo(listed.size());
            assertThat(listed).containsExactlyInAnyOrderElementsOf(titleById.keySet());
            assertThat(main.ids()).hasSize(TOTAL * 4 / 5);
            assertThat(second.ids()).hasSize(TOTAL / 5);
            Map<String, String> storedTitles = new HashMap<>();
            for (String category : List.of(code, other)) {
                for (JsonNode e : http.get("/api/v1/experiences?category=" + category + "&limit=500").json().path("items")) {
                    storedTitles.put(e.path("id").asString(), e.path("title").asString());
                }
            }
            assertThat(storedTitles).isEqualTo(titleById);

            assertThat(http.get("/api/v1/categories/" + code).json().path("experience_count").asLong()).isEqualTo(TOTAL * 4 / 5);
            assertThat(http.get("/api/v1/categories/" + other).json().path("experience_count").asLong()).isEqualTo(TOTAL / 5);
            for (int c = 0; c < CLIENTS; c++) {
                JsonNode audit = http.get("/api/v1/audit?actor=writer-" + c + "&limit=100").json().path("items");
                assertThat(audit).as("audit rows of writer-%d", c).hasSize(PER_CLIENT)
                        .allSatisfy(row -> {
                            assertThat(row.path("source").asString()).isEqualTo("mcp");
                            assertThat(row.path("action").asString()).isEqualTo("entry.create");
                        });
            }
            Sqlite db = Sqlite.of(server);
            assertThat(db.count("SELECT count(*) FROM experiences WHERE category_code IN (?, ?)", code, other)).isEqualTo(TOTAL);
            assertThat(db.count("SELECT count(*) FROM audit_log WHERE action = 'entry.create' AND source = 'mcp'")).isEqualTo(TOTAL);
            assertThat(db.rows("PRAGMA integrity_check")).as("SQLite integrity check")
                    .containsExactly(Map.of("integrity_check", "ok"));
            assertThat(db.count("SELECT count(*) FROM experiences e LEFT JOIN categories c ON c.code = e.category_code "
                    + "WHERE c.code IS NULL")).as("no entry without its category").isZero();

            // The index catches up with every entry: one document and one vector each (plus the two seeded guides).
            McpTesting.eventually(java.time.Duration.ofSeconds(120), () -> {
                JsonNode index = http.get("/api/v1/index").json();
                assertThat(index.path("pending").asLong()).as("embeddings pending").isZero();
                assertThat(index.path("failed").asLong()).as("embeddings failed").isZero();
                assertThat(index.path("documents").asLong()).as("documents").isEqualTo(TOTAL + 2);
                assertThat(index.path("vectors").asLong()).as("vectors").isEqualTo(TOTAL + 2);
            });
            // And each is found by its own words (its twin "writer 13 entry 7" shares them, so the top two).
            String expected = titleById.entrySet().stream().filter(e -> e.getValue().equals("writer 7 entry 13")).findFirst().orElseThrow().getKey();
            JsonNode found = http.post("/api/v1/search", Map.of("query", "writer 7 entry 13", "kind", "experience", "limit", 2)).json();
            assertThat(StreamSupport.stream(found.path("results").spliterator(), false).map(r -> r.path("id").asString())).contains(expected);
        }
    }
}
