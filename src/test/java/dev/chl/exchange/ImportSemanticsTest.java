package dev.chl.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.entries.LibrarySeed;
import dev.chl.testing.Await;
import dev.chl.testing.Fixtures;
import dev.chl.testing.ServerExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** What an applied import does to each kind of entry (DESIGN §2 and §7), and that imported entries become searchable. */
class ImportSemanticsTest {
    @RegisterExtension
    final ServerExtension server = ServerExtension.perTest();
    private ExchangeClient x;
    private String code;

    @BeforeEach
    void library() {
        x = new ExchangeClient(server.server());
        code = Fixtures.newCategory(x.http);
    }

    private List<String> searchIds(String query) {
        JsonNode r = x.http.post("/api/v1/search", Map.of("query", query, "kind", "all", "limit", 10)).json();
        List<String> ids = new ArrayList<>();
        r.path("results").forEach(h -> ids.add(h.path("id").asString()));
        return ids;
    }

    @Test
    void localDraftsSurviveAndMissingGlobalEntriesAreRetiredWithAnAuditRow() {
        String pending = Fixtures.createExperience(x.http, code, "Local draft not in the sheet").path("id").asString();
        Map<String, Object> personalBody = Fixtures.manual(code, "Personal manual not in the sheet");
        personalBody.put("sync_status", "local_only");
        String personal = Fixtures.create(x.http, "manuals", personalBody).path("id").asString();
        String editedGlobal = TestBook.experienceId(code, 3);
        x.db.insertGlobalExperience(editedGlobal, code, "Global, edited locally", "embedded", "2025-01-01T00:00:00.000Z");
        assertThat(x.http.patch("/api/v1/experiences/" + editedGlobal, Map.of("title", "Global, edited locally, v2")).status())
                .isEqualTo(200);
        String retired = TestBook.experienceId(code, 4);
        x.db.insertGlobalExperience(retired, code, "Zebra crossing heuristic about to be withdrawn", "embedded",
                "2025-01-01T00:00:00.000Z");
        String kept = TestBook.experienceId(code, 5);
        x.db.insertGlobalExperience(kept, code, "Global and still published", "embedded", "2025-01-01T00:00:00.000Z");
        x.awaitAllEmbedded();
        assertThat(x.entry(editedGlobal)).containsEntry("source", "global").containsEntry("sync_status", "pending");

        TestBook book = TestBook.fromXlsx(x.export("xlsx"));
        for (String id : List.of(pending, editedGlobal, retired)) {
            assertThat(book.experiences().remove(id)).as("%s was exported", id).isTrue();
        }
        var draftsBefore = List.of(x.entry(pending), x.entry(personal), x.entry(editedGlobal));
        long retireAuditsBefore = x.auditCount("entry.retire");

        JsonNode summary = x.apply(x.uploadXlsx(book));

        assertThat(ExchangeClient.texts(summary.path("keep_local"))).containsExactlyInAnyOrder(pending, personal, editedGlobal);
        assertThat(ExchangeClient.texts(summary.path("retire"))).containsExactly(retired);
        assertThat(List.of(x.entry(pending), x.entry(personal), x.entry(editedGlobal)))
                .as("local drafts the sheet lacks are kept exactly as they were").isEqualTo(draftsBefore);
        assertThat(x.entry(kept)).containsEntry("source", "global").containsEntry("sync_status", "synced");

        assertThat(x.entry(retired)).as("retired").isNull();
        assertThat(x.http.get("/api/v1/experiences/" + retired).status()).isEqualTo(404);
        assertThat(x.db.count("SELECT count(*) FROM entry_vectors WHERE entry_id = ?", retired)).isZero();
        assertThat(x.auditCount("entry.retire")).isEqualTo(retireAuditsBefore + 1);
        var audit = x.db.rows("SELECT actor, details_json FROM audit_log WHERE action = 'entry.retire'").getFirst();
        assertThat((String) audit.get("details_json")).contains(retired).contains("Zebra crossing");
        assertThat(x.auditCount("import.apply")).isEqualTo(1);
        Await.until("the retired entry to leave the index", Duration.ofSeconds(10), () -> !searchIds("Zebra crossing heuristic withdrawn").contains(retired));
    }

    @Test
    void aSheetWithoutTheGuidesKeepsThemAndSaysSo() {
        TestBook book = TestBook.fromXlsx(x.export("xlsx"));
        for (String id : List.of(LibrarySeed.GENERATOR_GUIDE_ID, LibrarySeed.EVALUATOR_GUIDE_ID)) {
            assertThat(book.manuals().remove(id)).as("%s was exported", id).isTrue();
        }

        JsonNode summary = x.apply(x.uploadXlsx(book));

        assertThat(ExchangeClient.texts(summary.path("retire"))).doesNotContain(LibrarySeed.GENERATOR_GUIDE_ID, LibrarySeed.EVALUATOR_GUIDE_ID);
        assertThat(summary.path("warnings").toString()).contains(LibrarySeed.GENERATOR_GUIDE_ID, LibrarySeed.EVALUATOR_GUIDE_ID,
                "never retired");
        assertThat(x.entry(LibrarySeed.GENERATOR_GUIDE_ID)).as("the generator guide").isNotNull();
        assertThat(x.entry(LibrarySeed.EVALUATOR_GUIDE_ID)).as("the evaluator guide").isNotNull();
    }

    @Test
    void importedEntriesAreGlobalSyncedThenEmbeddedAndSearchable() {
        String pending = Fixtures.createExperience(x.http, code, "Local draft the curator published").path("id").asString();
        TestBook book = TestBook.fromXlsx(x.export("xlsx"));
        String added = TestBook.experienceId(code, 11);
        Map<String, String> row = book.experiences().add(TestBook.experienceRow(added, code,
                "Quokka hydration protocol for cold servers"));
        row.put("playbook", "Warm the quokka cache before the morning traffic; measure the hit ratio.");
        row.put("source", "local");          // the sheet's own provenance columns do not decide: an import publishes
        row.put("sync_status", "pending");
        row.put("embedding_status", "embedded");
        row.put("synced_at", null);
        String addedManual = TestBook.manualId(code, 12);
        book.manuals().add(TestBook.manualRow(addedManual, code, "Narwhal migration handbook"));
        book.experiences().entry(pending).put("title", "Local draft the curator published, reworded");
        Instant before = Instant.now().minusSeconds(1);

        JsonNode summary = x.apply(x.uploadXlsx(book));
        assertThat(ExchangeClient.texts(summary.path("add"))).containsExactlyInAnyOrder(added, addedManual);
        assertThat(ExchangeClient.texts(summary.path("update"))).containsExactly(pending);
        assertThat(summary.path("backup").asString()).isNotBlank();
        assertThat(server.server().dataDir().resolve("backups").resolve(summary.path("backup").asString())).exists();

        for (String id : List.of(added, addedManual, pending)) {
            Map<String, Object> e = x.entry(id);
            assertThat(e).as(id).containsEntry("source", "global").containsEntry("sync_status", "synced");
            assertThat(e.get("synced_at")).as("synced_at of %s", id).isNotNull();
            assertThat(Instant.parse((String) e.get("synced_at"))).isAfter(before);
        }
        assertThat(x.entry(added)).containsEntry("created_at", "2025-01-01T00:00:00.000Z")
                .containsEntry("title", "Quokka hydration protocol for cold servers").containsEntry("author", "curator");
        assertThat(x.entry(pending)).containsEntry("title", "Local draft the curator published, reworded");

        Await.until("imported entries embedded", Duration.ofSeconds(60), () -> List.of(added, addedManual, pending).stream()
                .allMatch(id -> "embedded".equals(x.entry(id).get("embedding_status"))));
        for (String id : List.of(added, addedManual, pending)) {
            assertThat(x.db.count("SELECT count(*) FROM entry_vectors WHERE entry_id = ?", id)).as("vector of %s", id).isEqualTo(1);
        }
        Await.until("imported entries found by search", Duration.ofSeconds(10), () -> searchIds("quokka hydration protocol").contains(added)
                        && searchIds("narwhal migration handbook").contains(addedManual)
                        && searchIds("curator published reworded").contains(pending));
    }

    @Test
    void anUpdateThatLeavesTheTextAloneKeepsTheVectorItHas() {
        String id = TestBook.experienceId(code, 21);
        x.db.insertGlobalExperience(id, code, "Global entry whose author the curator fixes", "pending", "2025-01-01T00:00:00.000Z");
        x.awaitAllEmbedded();
        assertThat(x.db.count("SELECT count(*) FROM entry_vectors WHERE entry_id = ?", id)).isEqualTo(1);

        TestBook book = TestBook.fromXlsx(x.export("xlsx"));
        book.experiences().entry(id).put("author", "a better author");
        book.experiences().entry(id).put("context", "new context, not part of the embedded text");
        JsonNode summary = x.apply(x.uploadXlsx(book));
        assertThat(ExchangeClient.texts(summary.path("update"))).containsExactly(id);

        Map<String, Object> e = x.entry(id);
        assertThat(e).containsEntry("author", "a better author");
        // An entry that says it is embedded must have its vector; otherwise nothing ever embeds it again.
        boolean hasVector = x.db.count("SELECT count(*) FROM entry_vectors WHERE entry_id = ?", id) == 1;
        if ("embedded".equals(e.get("embedding_status"))) {
            assertThat(hasVector).as("embedded with a vector").isTrue();
        } else {
            Await.until("re-embedded", Duration.ofSeconds(60), () -> "embedded".equals(x.entry(id).get("embedding_status")));
            assertThat(x.db.count("SELECT count(*) FROM entry_vectors WHERE entry_id = ?", id)).isEqualTo(1);
        }
    }
}
