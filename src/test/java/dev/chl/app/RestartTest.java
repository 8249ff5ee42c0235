package dev.chl.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.entries.LibrarySeed;
import dev.chl.testing.Fixtures;
import dev.chl.testing.Http;
import dev.chl.testing.Sqlite;
import dev.chl.testing.TestServer;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Everything lives in the data directory: a restart on the same directory keeps all of it, and seeds only once. */
class RestartTest {
    private static final List<String> SEEDED = List.of("API", "ARC", "DAT", "DOC", "ERR", "GLN", "OPS", "PRF", "SEC", "TST");

    private static List<String> codes(Http http) {
        return StreamSupport.stream(http.get("/api/v1/categories").json().path("categories").spliterator(), false)
                .map(c -> c.path("code").asString()).toList();
    }

    private static void assertSeededOnce(TestServer server) {
        Http http = server.http();
        assertThat(codes(http)).containsAll(SEEDED);
        JsonNode gln = http.get("/api/v1/categories/GLN").json();
        assertThat(gln.path("manual_count").asLong()).isEqualTo(2);
        assertThat(gln.path("experience_count").asLong()).isZero();
        JsonNode guides = http.get("/api/v1/manuals?category=GLN").json().path("items");
        assertThat(StreamSupport.stream(guides.spliterator(), false).map(g -> g.path("id").asString()))
                .containsExactlyInAnyOrder(LibrarySeed.GENERATOR_GUIDE_ID, LibrarySeed.EVALUATOR_GUIDE_ID);
        JsonNode seedRows = http.get("/api/v1/audit?action=seed.apply").json().path("items");
        assertThat(seedRows).hasSize(1);
        assertThat(seedRows.get(0).path("actor").asString()).isEqualTo("chl");
        assertThat(seedRows.get(0).path("source").asString()).isEqualTo("system");
        Sqlite db = Sqlite.of(server);
        assertThat(db.count("SELECT count(*) FROM categories WHERE code IN ('API','ARC','DAT','DOC','ERR','GLN','OPS','PRF','SEC','TST')"))
                .isEqualTo(10);
        assertThat(db.count("SELECT count(*) FROM manuals WHERE category_code = 'GLN'")).isEqualTo(2);
    }

    @Test
    void aFreshServerSeedsTenCategoriesAndTheTwoGuides() {
        try (TestServer server = TestServer.start()) {
            assertThat(codes(server.http())).containsExactlyElementsOf(SEEDED);
            assertSeededOnce(server);
            JsonNode guide = server.http().get("/api/v1/manuals/" + LibrarySeed.GENERATOR_GUIDE_ID).json();
            assertThat(guide.path("source").asString()).isEqualTo("global");
            assertThat(guide.path("sync_status").asString()).isEqualTo("synced");
            assertThat(guide.path("content").asString()).isNotBlank();
            assertThat(guide.path("synced_at").isString()).isTrue();
        }
    }

    @Test
    void aRestartKeepsEveryCategoryEntryAndAuditRowAndDoesNotSeedAgain() {
        try (TestServer server = TestServer.start()) {
            Http http = server.http().as("restarter");
            String code = Fixtures.newCategory(http);
            http.put("/api/v1/categories/" + code, Map.of("description", "kept across restarts"));
            JsonNode experience = Fixtures.createExperience(http, code, "survives");
            Map<String, Object> personal = Fixtures.experience(code, "personal survives");
            personal.put("sync_status", "local_only");
            JsonNode localOnly = Fixtures.create(http, "experiences", personal);
            JsonNode manual = Fixtures.createManual(http, code, "manual survives");
            JsonNode editedGuide = http.patch("/api/v1/manuals/" + LibrarySeed.GENERATOR_GUIDE_ID, Map.of("summary", "edited")).json();
            http.put("/api/v1/settings/retention", Map.of("audit_days", 120));
            http.delete("/api/v1/categories/DOC");
            JsonNode categoryBefore = http.get("/api/v1/categories/" + code).json();
            JsonNode auditBefore = http.get("/api/v1/audit?limit=500").json().path("items");

            server.restart();
            server.restart();

            Http after = server.http();
            assertThat(after.get("/api/v1/categories/" + code).json()).isEqualTo(categoryBefore);
            assertThat(Fixtures.stable(after.get("/api/v1/experiences/" + experience.path("id").asString()).json())).isEqualTo(Fixtures.stable(experience));
            assertThat(Fixtures.stable(after.get("/api/v1/experiences/" + localOnly.path("id").asString()).json())).isEqualTo(Fixtures.stable(localOnly));
            assertThat(Fixtures.stable(after.get("/api/v1/manuals/" + manual.path("id").asString()).json())).isEqualTo(Fixtures.stable(manual));
            assertThat(Fixtures.stable(after.get("/api/v1/manuals/" + LibrarySeed.GENERATOR_GUIDE_ID).json()))
                    .as("the seed does not overwrite an edited guide").isEqualTo(Fixtures.stable(editedGuide));
            assertThat(after.get("/api/v1/settings").json().path("retention").path("audit_days").asInt()).isEqualTo(120);
            assertThat(after.get("/api/v1/audit?limit=500").json().path("items")).isEqualTo(auditBefore);
            assertThat(after.get("/api/v1/categories/DOC").status()).as("a deleted seed category stays deleted").isEqualTo(404);

            JsonNode seedRows = after.get("/api/v1/audit?action=seed.apply").json().path("items");
            assertThat(seedRows).hasSize(1);
            assertThat(after.get("/api/v1/categories/GLN").json().path("manual_count").asLong()).isEqualTo(2);
            assertThat(codes(after)).doesNotHaveDuplicates().hasSize(10); // 10 seeded - DOC + 1 created
        }
    }

    @Test
    void restartingAnUntouchedServerKeepsTheSeedExactlyOnce() {
        try (TestServer server = TestServer.start()) {
            server.restart();
            server.restart();
            assertSeededOnce(server);
            assertThat(codes(server.http())).containsExactlyElementsOf(SEEDED);
        }
    }
}
