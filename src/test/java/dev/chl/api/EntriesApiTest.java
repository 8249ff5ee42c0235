package dev.chl.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.testing.Fixtures;
import dev.chl.testing.Http;
import dev.chl.testing.Pages;
import dev.chl.testing.ServerExtension;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

class EntriesApiTest {
    private static final String TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";

    @RegisterExtension
    static final ServerExtension server = ServerExtension.perClass();

    private static Set<String> ids(String path) {
        Http.Response r = server.http().get(path);
        assertThat(r.status()).as("GET %s: %s", path, r).isEqualTo(200);
        Set<String> ids = new HashSet<>();
        r.json().path("items").forEach(i -> ids.add(i.path("id").asString()));
        assertThat(ids).as("no duplicates in one page").hasSize(r.json().path("items").size());
        return ids;
    }

    // --- create / read / update / delete -------------------------------------------------------------------------

    @Test
    void createExperienceReturns201WithEntryDuplicatesAndGuidance() {
        String code = Fixtures.newCategory(server.http());
        Map<String, Object> body = Fixtures.experience(code, "Pin dependency versions");
        body.put("context", "Java services");
        Http.Response r = server.http().as("alice").post("/api/v1/experiences", body);

        assertThat(r.status()).isEqualTo(201);
        assertThat(r.contentType()).startsWith("application/json");
        JsonNode json = r.json();
        assertThat(json.propertyNames()).containsExactlyInAnyOrder("entry", "duplicates", "guidance");
        assertThat(json.path("duplicates").isArray()).isTrue();
        assertThat(json.path("guidance").isString()).isTrue();
        assertThat(json.path("guidance").asString()).isNotBlank();

        JsonNode entry = json.path("entry");
        assertThat(entry.path("id").asString()).matches("^EXP-" + code + "-\\d{8}-\\d{9}(-[a-z0-9]{1,8})?$");
        assertThat(entry.path("kind").asString()).isEqualTo("experience");
        assertThat(entry.path("category_code").asString()).isEqualTo(code);
        assertThat(entry.path("section").asString()).isEqualTo("useful");
        assertThat(entry.path("title").asString()).isEqualTo("Pin dependency versions");
        assertThat(entry.path("playbook").asString()).isEqualTo(body.get("playbook"));
        assertThat(entry.path("context").asString()).isEqualTo("Java services");
        assertThat(entry.has("content")).isFalse();
        assertThat(entry.has("summary")).isFalse();
        assertThat(entry.path("source").asString()).isEqualTo("local");
        assertThat(entry.path("sync_status").asString()).isEqualTo("pending");
        assertThat(entry.path("author").asString()).as("author defaults to the actor").isEqualTo("alice");
        assertThat(entry.path("embedding_status").asString()).isEqualTo("pending");
        assertThat(entry.path("created_at").asString()).matches(TIME);
        assertThat(entry.path("updated_at").asString()).isEqualTo(entry.path("created_at").asString());
        assertThat(entry.path("synced_at").isNull()).isTrue();
        assertThat(entry.path("exported_at").isNull()).isTrue();
        assertThat(Instant.parse(entry.path("created_at").asString()))
                .isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(5));

        // the id in the stamp is the creation time
        String stamp = entry.path("id").asString().substring(8, 26);
        String created = entry.path("created_at").asString();
        assertThat(stamp).isEqualTo(created.substring(0, 4) + created.substring(5, 7) + created.substring(8, 10) + "-"
                + created.substring(11, 13) + created.substring(14, 16) + created.substring(17, 19) + created.substring(20, 23));

        Http.Response get = server.http().get("/api/v1/experiences/" + entry.path("id").asString());
        assertThat(get.status()).isEqualTo(200);
        assertThat(Fixtures.stable(get.json())).isEqualTo(Fixtures.stable(entry));
    }

    @Test
    void createManualReturns201WithManualShape() {
        String code = Fixtures.newCategory(server.http());
        Map<String, Object> body = Fixtures.manual(code, "Caching overview");
        body.put("summary", "Short summary");
        body.put("author", "bob");
        Http.Response r = server.http().as("carol").post("/api/v1/manuals", body);

        assertThat(r.status()).isEqualTo(201);
        JsonNode entry = r.json().path("entry");
        assertThat(r.json().path("duplicates").isArray()).isTrue();
        assertThat(r.json().path("guidance").isString()).isTrue();
        assertThat(entry.path("id").asString()).matches("^MNL-" + code + "-\\d{8}-\\d{9}(-[a-z0-9]{1,8})?$");
        assertThat(entry.path("kind").asString()).isEqualTo("manual");
        assertThat(entry.path("content").asString()).isEqualTo(body.get("content"));
        assertThat(entry.path("summary").asString()).isEqualTo("Short summary");
        assertThat(entry.path("author").asString()).as("an explicit author wins over the actor").isEqualTo("bob");
        assertThat(entry.has("section")).isFalse();
        assertThat(entry.has("playbook")).isFalse();
        assertThat(entry.path("source").asString()).isEqualTo("local");
        assertThat(entry.path("sync_status").asString()).isEqualTo("pending");
        assertThat(entry.path("embedding_status").asString()).isEqualTo("pending");

        assertThat(Fixtures.stable(server.http().get("/api/v1/manuals/" + entry.path("id").asString()).json()))
                .isEqualTo(Fixtures.stable(entry));
    }

    @Test
    void authorDefaultsToApiClientWithoutActorHeader() {
        String code = Fixtures.newCategory(server.http());
        assertThat(Fixtures.createExperience(server.http(), code, "anonymous").path("author").asString()).isEqualTo("api-client");
    }

    @Test
    void patchExperienceChangesOnlyTheGivenFields() throws InterruptedException {
        String code = Fixtures.newCategory(server.http());
        String other = Fixtures.newCategory(server.http());
        Map<String, Object> body = Fixtures.experience(code, "Original title");
        body.put("context", "some context");
        JsonNode created = Fixtures.create(server.http(), "experiences", body);
        String id = created.path("id").asString();
        Thread.sleep(5);

        Http.Response r = server.http().patch("/api/v1/experiences/" + id, Map.of("title", "New title", "section", "harmful"));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode patched = r.json();
        assertThat(patched.path("id").asString()).isEqualTo(id);
        assertThat(patched.path("title").asString()).isEqualTo("New title");
        assertThat(patched.path("section").asString()).isEqualTo("harmful");
        assertThat(patched.path("playbook").asString()).isEqualTo(created.path("playbook").asString());
        assertThat(patched.path("context").asString()).isEqualTo("some context");
        assertThat(patched.path("created_at").asString()).isEqualTo(created.path("created_at").asString());
        assertThat(Instant.parse(patched.path("updated_at").asString())).isAfter(Instant.parse(created.path("updated_at").asString()));
        assertThat(Fixtures.stable(server.http().get("/api/v1/experiences/" + id).json())).isEqualTo(Fixtures.stable(patched));

        // clearing an optional field, and moving to another category
        Map<String, Object> clear = new LinkedHashMap<>();
        clear.put("context", null);
        clear.put("category_code", other);
        JsonNode moved = server.http().patch("/api/v1/experiences/" + id, clear).json();
        assertThat(moved.path("context").isNull()).isTrue();
        assertThat(moved.path("category_code").asString()).isEqualTo(other);
        assertThat(moved.path("id").asString()).as("the id never changes").isEqualTo(id);
        assertThat(server.http().get("/api/v1/categories/" + other).json().path("experience_count").asLong()).isEqualTo(1);
        assertThat(server.http().get("/api/v1/categories/" + code).json().path("experience_count").asLong()).isZero();
    }

    @Test
    void patchManualChangesContentAndSummary() {
        String code = Fixtures.newCategory(server.http());
        JsonNode created = Fixtures.createManual(server.http(), code, "Manual to edit");
        String id = created.path("id").asString();
        Http.Response r = server.http().patch("/api/v1/manuals/" + id, Map.of("content", "Rewritten content", "summary", "Now summarised"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("content").asString()).isEqualTo("Rewritten content");
        assertThat(r.json().path("summary").asString()).isEqualTo("Now summarised");
        assertThat(r.json().path("title").asString()).isEqualTo("Manual to edit");
        assertThat(server.http().get("/api/v1/manuals/" + id).json().path("content").asString()).isEqualTo("Rewritten content");
    }

    @ParameterizedTest
    @ValueSource(strings = {"experiences", "manuals"})
    void deleteIs204AndTheEntryIsGone(String kind) {
        String code = Fixtures.newCategory(server.http());
        Map<String, Object> body = kind.equals("experiences") ? Fixtures.experience(code, "doomed") : Fixtures.manual(code, "doomed");
        String id = Fixtures.create(server.http(), kind, body).path("id").asString();

        Http.Response r = server.http().delete("/api/v1/" + kind + "/" + id);
        assertThat(r.status()).isEqualTo(204);
        assertThat(r.body()).isEmpty();
        assertThat(server.http().get("/api/v1/" + kind + "/" + id).status()).isEqualTo(404);
        assertThat(ids("/api/v1/" + kind + "?category=" + code)).isEmpty();
        assertThat(server.http().delete("/api/v1/" + kind + "/" + id).status()).as("a second delete").isEqualTo(404);
    }

    @ParameterizedTest
    @ValueSource(strings = {"experiences", "manuals"})
    void unknownIdIs404ProblemForGetPatchAndDelete(String kind) {
        String id = (kind.equals("experiences") ? "EXP" : "MNL") + "-ARC-20200101-000000000";
        for (Http.Response r : List.of(
                server.http().get("/api/v1/" + kind + "/" + id),
                server.http().patch("/api/v1/" + kind + "/" + id, Map.of("title", "x")),
                server.http().delete("/api/v1/" + kind + "/" + id))) {
            assertThat(r.status()).as(r.toString()).isEqualTo(404);
            assertThat(r.isProblem()).isTrue();
            assertThat(r.json().path("status").asInt()).isEqualTo(404);
            assertThat(r.json().path("detail").asString()).contains(id);
        }
    }

    @Test
    void anExperienceIdIsNotFoundAmongManuals() {
        String code = Fixtures.newCategory(server.http());
        String id = Fixtures.createExperience(server.http(), code, "kind matters").path("id").asString();
        assertThat(server.http().get("/api/v1/manuals/" + id).status()).isEqualTo(404);
        assertThat(server.http().delete("/api/v1/manuals/" + id).status()).isEqualTo(404);
        assertThat(server.http().get("/api/v1/experiences/" + id).status()).as("still there").isEqualTo(200);
    }

    @Test
    void unknownCollectionIs404Problem() {
        Http.Response r = server.http().get("/api/v1/widgets");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.isProblem()).isTrue();
    }

    // --- listing: filters --------------------------------------------------------------------------------------------

    @Test
    void listFiltersByCategorySourceSyncStatusAndEmbeddingStatus() {
        String code = Fixtures.newCategory(server.http());
        String otherCode = Fixtures.newCategory(server.http());
        String pending1 = Fixtures.createExperience(server.http(), code, "pending one").path("id").asString();
        String pending2 = Fixtures.createExperience(server.http(), code, "pending two").path("id").asString();
        String failed = Fixtures.createExperience(server.http(), code, "embedding failed").path("id").asString();
        Map<String, Object> personal = Fixtures.experience(code, "personal");
        personal.put("sync_status", "local_only");
        String localOnly = Fixtures.create(server.http(), "experiences", personal).path("id").asString();
        String now = dev.chl.common.Times.format(Instant.now());
        String global1 = "EXP-" + code + "-20250101-000000001";
        String global2 = "EXP-" + code + "-20250101-000000002";
        server.db().insertGlobalExperience(global1, code, "imported, embedded", "embedded", now);
        server.db().insertGlobalExperience(global2, code, "imported, pending", "pending", now);
        assertThat(server.db().exec("UPDATE experiences SET embedding_status = 'failed' WHERE id = ?", failed)).isEqualTo(1);
        // Freeze the embedding workers so the statuses set here stay put while the filters are checked.
        Fixtures.pauseWorkers(server.http());
        server.db().exec("UPDATE experiences SET embedding_status = 'pending' WHERE id IN (?, ?, ?, ?)",
                pending1, pending2, localOnly, global2);
        String elsewhere = Fixtures.createExperience(server.http(), otherCode, "another shelf").path("id").asString();

        String base = "/api/v1/experiences?category=" + code;
        assertThat(ids(base)).containsExactlyInAnyOrder(pending1, pending2, failed, localOnly, global1, global2);
        assertThat(ids("/api/v1/experiences?category=" + otherCode)).containsExactly(elsewhere);
        assertThat(ids(base + "&source=global")).containsExactlyInAnyOrder(global1, global2);
        assertThat(ids(base + "&source=local")).containsExactlyInAnyOrder(pending1, pending2, failed, localOnly);
        assertThat(ids(base + "&sync_status=pending")).containsExactlyInAnyOrder(pending1, pending2, failed);
        assertThat(ids(base + "&sync_status=local_only")).containsExactly(localOnly);
        assertThat(ids(base + "&sync_status=synced")).containsExactlyInAnyOrder(global1, global2);
        assertThat(ids(base + "&embedding_status=embedded")).containsExactly(global1);
        assertThat(ids(base + "&embedding_status=failed")).containsExactly(failed);
        assertThat(ids(base + "&embedding_status=pending")).containsExactlyInAnyOrder(pending1, pending2, localOnly, global2);
        assertThat(ids(base + "&source=global&embedding_status=pending")).containsExactly(global2);
        assertThat(ids(base + "&source=local&sync_status=synced")).isEmpty();
        assertThat(ids("/api/v1/experiences?category=" + Fixtures.NEVER_CREATED)).isEmpty();
        server.http().post("/api/v1/workers/resume", Map.of());

        // filters apply without a category too
        Set<String> allGlobal = ids("/api/v1/experiences?source=global&limit=500");
        assertThat(allGlobal).contains(global1, global2).doesNotContain(pending1, localOnly, elsewhere);
    }

    @Test
    void manualListFiltersBySourceAndCategory() {
        String code = Fixtures.newCategory(server.http());
        String mine = Fixtures.createManual(server.http(), code, "my manual").path("id").asString();
        assertThat(ids("/api/v1/manuals?category=" + code)).containsExactly(mine);
        assertThat(ids("/api/v1/manuals?category=GLN&source=global&sync_status=synced"))
                .containsExactlyInAnyOrder("MNL-GLN-20260101-000000001", "MNL-GLN-20260101-000000002");
        assertThat(ids("/api/v1/manuals?source=local&limit=500")).contains(mine)
                .doesNotContain("MNL-GLN-20260101-000000001", "MNL-GLN-20260101-000000002");
        assertThat(ids("/api/v1/experiences?category=" + code)).as("manuals are not experiences").isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"source=foreign", "sync_status=done", "embedding_status=maybe", "colour=red", "limit=0", "limit=501",
            "limit=-1", "limit=ten", "limit=", "cursor=not-a-cursor", "cursor=Zm9v", "category=tst", "category=TOOLONG",
            // decodable, but not a position: "zzz\nzzz", and a manual's id on the experiences list
            "cursor=enp6Cnp6eg", "cursor=MjAyNi0wMS0wMVQwMDowMDowMFoKTU5MLUFCQy0yMDI2MDEwMS0xMjAwMDAwMDA"})
    void badListParametersAre422OnThatParameter(String query) {
        Http.Response r = server.http().get("/api/v1/experiences?" + query);
        assertThat(r.status()).as(r.toString()).isEqualTo(422);
        assertThat(r.isProblem()).isTrue();
        JsonNode errors = r.json().path("errors");
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0).path("field").asString()).isEqualTo(query.substring(0, query.indexOf('=')));
    }

    @ParameterizedTest
    @ValueSource(strings = {"limit=%ZZ", "%ZZ=1", "since=%E0%A4%A", "category=%"})
    void brokenPercentEncodingIs400NotIgnored(String query) {
        Http.RawResponse r = server.http().rawGet("/api/v1/experiences?" + query);
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.head()).containsIgnoringCase("Content-Type: application/problem+json");
        assertThat(r.body()).contains("percent-encoding");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/experiences/%ZZ", "/api/v1/%C0%AE"})
    void aPathJettyCannotDecodeIsAProblemToo(String target) {
        Http.RawResponse r = server.http().rawGet(target);
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.head()).containsIgnoringCase("Content-Type: application/problem+json");
        assertThat(r.body()).contains("\"status\":400").contains("percent-encode");
    }

    @Test
    void aBrowserAskingForAConsolePathJettyCannotDecodeGetsAPageNotJson() {
        Http.RawResponse page = server.http().rawGet("/entries/EXP-%E0", "Accept: text/html,application/xhtml+xml\r\n");
        assertThat(page.status()).as(page.toString()).isEqualTo(400);
        assertThat(page.head()).containsIgnoringCase("Content-Type: text/html");
        assertThat(page.body()).contains("Malformed request", "percent-encode", "href=\"/\"").doesNotContain("\"status\"");
        Http.RawResponse api = server.http().rawGet("/api/v1/experiences/%ZZ", "Accept: text/html\r\n");
        assertThat(api.head()).as("the API answers JSON whatever a browser accepts").containsIgnoringCase("application/problem+json");
    }

    @Test
    void repeatedQueryParameterIs400() {
        Http.Response r = server.http().get("/api/v1/experiences?category=ARC&category=API");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.isProblem()).isTrue();
    }

    // --- listing: pagination -----------------------------------------------------------------------------------------

    @Test
    void cursorPaginationWalksEveryEntryOnceNewestFirst() {
        String code = Fixtures.newCategory(server.http());
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 55; i++) {
            created.add(Fixtures.createExperience(server.http(), code, "entry " + i).path("id").asString());
        }

        Pages.Walk walk = Pages.walk(server.http(), "/api/v1/experiences?category=" + code + "&limit=7", 20);
        assertThat(walk.pageSizes()).containsExactly(7, 7, 7, 7, 7, 7, 7, 6);
        assertThat(walk.ids()).hasSize(55).containsExactlyInAnyOrderElementsOf(created);
        Comparator<JsonNode> newestFirst = Comparator.<JsonNode, String>comparing(e -> e.path("created_at").asString())
                .thenComparing(e -> e.path("id").asString()).reversed();
        assertThat(walk.items()).isSortedAccordingTo(newestFirst);
        assertThat(walk.items().getFirst().path("id").asString()).as("the newest first").isEqualTo(created.getLast());

        // the default page is 50
        Http.Response first = server.http().get("/api/v1/experiences?category=" + code);
        assertThat(first.json().path("items")).hasSize(50);
        assertThat(first.json().path("next_cursor").isString()).isTrue();

        // one page that holds everything has no next cursor
        Http.Response all = server.http().get("/api/v1/experiences?category=" + code + "&limit=500");
        assertThat(all.json().path("items")).hasSize(55);
        assertThat(all.json().path("next_cursor").isNull()).isTrue();

        // a page exactly as large as what is left has no next cursor either
        Http.Response exact = server.http().get("/api/v1/experiences?category=" + code + "&limit=55");
        assertThat(exact.json().path("items")).hasSize(55);
        assertThat(exact.json().path("next_cursor").isNull()).isTrue();
    }

    @Test
    void paginationKeepsFiltersAcrossPages() {
        String code = Fixtures.newCategory(server.http());
        List<String> personal = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            Map<String, Object> body = Fixtures.experience(code, "mixed " + i);
            if (i % 3 == 0) {
                body.put("sync_status", "local_only");
            }
            String id = Fixtures.create(server.http(), "experiences", body).path("id").asString();
            if (i % 3 == 0) {
                personal.add(id);
            }
        }
        Pages.Walk walk = Pages.walk(server.http(), "/api/v1/experiences?category=" + code + "&sync_status=local_only&limit=2", 5);
        assertThat(walk.pageSizes()).containsExactly(2, 1);
        assertThat(walk.ids()).containsExactlyInAnyOrderElementsOf(personal);
        assertThat(walk.items()).allSatisfy(e -> assertThat(e.path("sync_status").asString()).isEqualTo("local_only"));
    }

    @Test
    void limitBoundsAreOneAndFiveHundred() {
        String code = Fixtures.newCategory(server.http());
        Fixtures.createExperience(server.http(), code, "a");
        Fixtures.createExperience(server.http(), code, "b");
        Http.Response one = server.http().get("/api/v1/experiences?category=" + code + "&limit=1");
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.json().path("items")).hasSize(1);
        assertThat(one.json().path("next_cursor").isString()).isTrue();
        assertThat(server.http().get("/api/v1/experiences?category=" + code + "&limit=500").status()).isEqualTo(200);
        assertThat(server.http().get("/api/v1/experiences?category=" + code + "&limit=501").status()).isEqualTo(422);
        assertThat(server.http().get("/api/v1/experiences?category=" + code + "&limit=0").status()).isEqualTo(422);
    }

    @Test
    void listItemsHaveTheEntryShape() {
        String code = Fixtures.newCategory(server.http());
        JsonNode created = Fixtures.createExperience(server.http(), code, "shape");
        JsonNode listed = server.http().get("/api/v1/experiences?category=" + code).json().path("items").get(0);
        assertThat(Fixtures.stable(listed)).isEqualTo(Fixtures.stable(created));
        List<String> names = StreamSupport.stream(listed.propertyNames().spliterator(), false).toList();
        assertThat(names).containsExactlyInAnyOrder("id", "kind", "category_code", "section", "title", "playbook", "context",
                "source", "sync_status", "author", "embedding_status", "created_at", "updated_at", "synced_at", "exported_at");
    }
}
