package dev.chl.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.entries.LibrarySeed;
import dev.chl.testing.Await;
import dev.chl.testing.ChlApi;
import dev.chl.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** With no vectors in the index, search answers from BM25 alone and says so; once entries are embedded it is hybrid. */
class LexicalFallbackTest {
    @Test
    void searchIsLexicalUntilEntriesAreEmbeddedThenHybrid() {
        try (TestServer server = TestServer.start()) {
            ChlApi api = ChlApi.of(server);
            api.workerControl("pause");
            Await.until("paused", Duration.ofSeconds(5), () -> api.worker("worker-1").path("status").asString(), "paused"::equals);
            // The seeded guides may already be embedded, and cannot be deleted: an edit of their text sends them back to
            // the (paused) embedding queue, so that nothing in the index has a vector.
            for (String guide : List.of(LibrarySeed.GENERATOR_GUIDE_ID, LibrarySeed.EVALUATOR_GUIDE_ID)) {
                assertThat(api.http().patch("/api/v1/manuals/" + guide, java.util.Map.of("summary", "Waiting to be embedded again."))
                        .status()).isEqualTo(200);
            }
            api.category("LXA");
            String zebra = api.experience("LXA", "Zebra crossing for database migrations",
                    "Run expand and contract migrations so old and new application versions can both read the schema.");
            String okapi = api.experience("LXA", "Okapi latency budgets",
                    "Give each hop of a request a slice of the total latency budget and alert when one overspends.");
            String manual = api.manual("LXA", "Okapi service manual", "The okapi service owns latency budgets for checkout.");
            Await.until("no vectors in the index", Duration.ofSeconds(5), api::index,
                    s -> s.path("vectors").asLong() == 0 && s.path("documents").asLong() == 5);
            assertThat(api.index().path("pending").asLong()).as("the three new entries and the two guides").isEqualTo(5);

            JsonNode lexical = Await.until("the new entries searchable", Duration.ofSeconds(5),
                    () -> api.search("expand contract migrations"), a -> ChlApi.ids(a).contains(zebra));

            assertThat(lexical.path("mode").asString()).isEqualTo("lexical");
            assertThat(ChlApi.ids(lexical).getFirst()).isEqualTo(zebra);
            assertThat(lexical.path("results")).allSatisfy(r -> assertThat(r.path("matched_by").toString()).isEqualTo("[\"lexical\"]"));
            JsonNode okapis = api.search("okapi latency");
            assertThat(okapis.path("mode").asString()).isEqualTo("lexical");
            assertThat(ChlApi.ids(okapis)).containsExactlyInAnyOrder(okapi, manual);
            assertThat(ChlApi.ids(api.search("okapi latency", "manual", null, 10))).containsExactly(manual);
            JsonNode reworded = api.search("deploying schema changes without downtime");
            assertThat(reworded.path("mode").asString()).isEqualTo("lexical");
            assertThat(ChlApi.ids(reworded)).as("no shared words, no vectors: nothing to find yet").doesNotContain(okapi);

            api.workerControl("resume");
            api.awaitEmbedded(zebra, okapi, manual);

            // On the test's shelf: the guides, embedded again too, are about changing things and may rank first.
            JsonNode hybrid = Await.until("a hybrid answer", Duration.ofSeconds(5),
                    () -> api.search("deploying schema changes without downtime", null, "LXA", 10),
                    a -> a.path("mode").asString().equals("hybrid"));
            assertThat(ChlApi.ids(hybrid).getFirst()).isEqualTo(zebra);
            List<String> paths = new ArrayList<>();
            hybrid.path("results").get(0).path("matched_by").forEach(m -> paths.add(m.asString()));
            assertThat(paths).contains("vector");
            assertThat(api.search("expand contract migrations").path("mode").asString()).isEqualTo("hybrid");
        }
    }
}
