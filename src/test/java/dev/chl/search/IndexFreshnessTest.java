package dev.chl.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.testing.Await;
import dev.chl.testing.ChlApi;
import dev.chl.testing.Http;
import dev.chl.testing.ServerExtension;
import dev.chl.testing.SqliteFile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** Writes reach search quickly: creates within a moment, edits are embedded again, deletes vanish at once. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IndexFreshnessTest {
    @RegisterExtension
    static final ServerExtension server = ServerExtension.perClass();

    @BeforeAll
    void categories() {
        server.api().category("FRA");
        server.api().category("FRB");
        server.api().awaitQueueEmpty();
    }

    @AfterEach
    void running() {
        server.api().workerControl("resume");
    }

    @Test
    void newEntryIsSearchableWithinAMoment() {
        String id = server.api().experience("FRA", "Marmoset connection draining", "Drain marmoset connections before a rolling restart.");
        long created = System.nanoTime();

        Await.until("the entry searchable", Duration.ofSeconds(5), () -> server.api().foundByWords("marmoset draining", id));

        assertThat(Duration.ofNanos(System.nanoTime() - created)).isLessThan(Duration.ofMillis(1500));
    }

    @Test
    void editedTextIsEmbeddedAgainAndFoundByItsNewWords() {
        String id = server.api().experience("FRA", "Flamingo payload limits", "Reject flamingo payloads above one megabyte with a 413.");
        server.api().awaitEmbedded(id);
        String shaBefore = vectorTextHash(id);

        Http.Response patched = server.http().patch("/api/v1/experiences/" + id,
                Map.of("playbook", "Compress heron telemetry batches with zstd before upload to halve egress costs."));

        assertThat(patched.status()).isEqualTo(200);
        assertThat(patched.json().path("embedding_status").asString()).as("an edit queues the entry again").isEqualTo("pending");
        server.api().awaitEmbedded(id);
        assertThat(vectorTextHash(id)).as("the vector was computed from the new text").isNotEqualTo(shaBefore);
        Await.until("the new words searchable", Duration.ofSeconds(5), () -> server.api().foundByWords("heron telemetry zstd", id));
        assertThat(server.api().foundByWords("megabyte 413", id)).as("the old words no longer match").isFalse();
        JsonNode semantic = server.api().search("shrink the size of monitoring uploads to save bandwidth", "experience", "FRA", 3);
        assertThat(ChlApi.ids(semantic).getFirst()).isEqualTo(id);
        assertThat(semantic.path("results").get(0).path("matched_by").toString()).contains("vector");
    }

    @Test
    void editWithoutTextChangeKeepsTheEmbedding() {
        String id = server.api().experience("FRA", "Ibis cache warmup", "Warm the ibis cache from the access log before switching traffic.");
        server.api().awaitEmbedded(id);
        String sha = vectorTextHash(id);

        Http.Response patched = server.http().patch("/api/v1/experiences/" + id, Map.of("author", "someone else"));

        assertThat(patched.json().path("embedding_status").asString()).isEqualTo("embedded");
        assertThat(vectorTextHash(id)).isEqualTo(sha);
    }

    @Test
    void editedTextIsSearchableBeforeItIsEmbeddedAgain() {
        String id = server.api().experience("FRA", "Gannet retry budget", "Cap gannet retries at two per request.");
        server.api().awaitEmbedded(id);
        server.api().workerControl("pause");
        Await.until("paused", Duration.ofSeconds(5), () -> server.api().worker("worker-1").path("status").asString(), "paused"::equals);

        server.http().patch("/api/v1/experiences/" + id, Map.of("title", "Puffin retry budget"));

        JsonNode answer = Await.until("the new title searchable", Duration.ofSeconds(5),
                () -> server.api().search("puffin", "experience", "FRA", 5), a -> ChlApi.matchedBy(a, id).contains("lexical"));
        assertThat(ChlApi.matchedBy(answer, id)).as("no vector until it is embedded again").containsExactly("lexical");
        assertThat(server.api().embeddingStatus(id)).isEqualTo("pending");
        server.api().workerControl("resume");
        server.api().awaitEmbedded(id);
    }

    @Test
    void movingToAnotherCategoryMovesItBetweenFilters() {
        String id = server.api().experience("FRA", "Kestrel log sampling", "Sample kestrel debug logs at one percent in production.");
        server.api().awaitEmbedded(id);

        server.http().patch("/api/v1/experiences/" + id, Map.of("category_code", "FRB"));

        Await.until("found under FRB", Duration.ofSeconds(5),
                () -> ChlApi.matchedBy(server.api().search("kestrel sampling", null, "FRB", 5), id).contains("lexical"));
        assertThat(ChlApi.ids(server.api().search("kestrel sampling", null, "FRA", 5))).doesNotContain(id);
        server.api().awaitEmbedded(id);
    }

    @Test
    void deletedEntriesVanishFromResultsAtOnce() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ids.add(server.api().experience("FRA", "Albatross shard " + i + " rebalancing",
                    "Rebalance albatross shard " + i + " when its disk passes eighty percent."));
        }
        server.api().awaitEmbedded(ids);
        Await.until("all searchable", Duration.ofSeconds(5),
                () -> ids.stream().allMatch(id -> server.api().foundByWords("albatross shard rebalancing", id)));
        long documents = server.api().index().path("documents").asLong();

        for (String id : ids) {
            assertThat(server.http().delete("/api/v1/experiences/" + id).status()).isEqualTo(204);
            // No waiting: the very next search must not return it, by words or by meaning.
            assertThat(server.api().searchIds("albatross shard rebalancing")).doesNotContain(id);
            assertThat(ChlApi.ids(server.api().search("moving data when a storage node fills up", "experience", "FRA", 50)))
                    .doesNotContain(id);
        }
        Await.until("the index to count the deletes", Duration.ofSeconds(5), () -> server.api().index().path("documents").asLong(),
                n -> n == documents - ids.size());
        assertThat(server.http().get("/api/v1/experiences/" + ids.getFirst()).status()).isEqualTo(404);
    }

    private String vectorTextHash(String id) {
        return SqliteFile.column(server.server().databaseFile(), "SELECT text_sha256 FROM entry_vectors WHERE entry_id = ?", id).getFirst();
    }
}
