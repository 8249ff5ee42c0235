package dev.chl.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.testing.Await;
import dev.chl.testing.Http;
import dev.chl.testing.ServerExtension;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * An entry that is saved but not embedded yet (the workers are busy or paused) still counts for the duplicate check:
 * a copy of it is "too close", on create and at POST /api/v1/search/duplicates.
 */
class DuplicatesBeforeEmbeddingTest {
    private static final String TITLE = "Never share a mutable fixture across tests";
    private static final String PLAYBOOK = "A fixture mutated by one test leaks into the next; build a fresh one per test.";

    @RegisterExtension
    static final ServerExtension server = ServerExtension.perClass();

    @Test
    void aCopyOfAnEntryStillWaitingForItsEmbeddingIsTooClose() {
        Http http = server.http();
        server.api().category("DBE");
        assertThat(http.post("/api/v1/workers/pause", Map.of()).status()).isEqualTo(200);
        Await.until("every worker paused", Duration.ofSeconds(30), () -> http.get("/api/v1/workers").json().path("workers"),
                workers -> workers.size() > 0 && java.util.stream.StreamSupport.stream(workers.spliterator(), false)
                        .allMatch(w -> w.path("status").asString().equals("paused")));

        String first = server.api().experience("DBE", TITLE, PLAYBOOK);
        Http.Response copy = http.post("/api/v1/experiences", Map.of("category_code", "DBE", "section", "harmful", "title", TITLE,
                "playbook", PLAYBOOK));
        assertThat(copy.status()).as("%s", copy).isEqualTo(201);
        assertThat(server.api().entry(first).path("embedding_status").asString()).as("still waiting for its embedding")
                .isEqualTo("pending");

        JsonNode nearest = copy.json().path("duplicates").get(0);
        assertThat(nearest.path("id").asString()).as("%s", copy.json()).isEqualTo(first);
        assertThat(nearest.path("score").asDouble()).isGreaterThan(0.99);
        assertThat(copy.json().path("guidance").asString()).startsWith("Too close to " + first);

        JsonNode check = http.post("/api/v1/search/duplicates", Map.of("kind", "experience", "title", TITLE + "!",
                "body", PLAYBOOK)).json();
        assertThat(check.path("matches")).as("%s", check).hasSizeGreaterThanOrEqualTo(2);
        assertThat(check.path("guidance").asString()).startsWith("Too close to ");

        http.post("/api/v1/workers/resume", Map.of());
    }
}
