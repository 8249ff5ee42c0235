package dev.chl.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.common.Times;
import dev.chl.entries.LibrarySeed;
import dev.chl.testing.Fixtures;
import dev.chl.testing.Http;
import dev.chl.testing.ServerExtension;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** The provenance transitions of DESIGN §2, end to end over HTTP. */
class ProvenanceApiTest {
    @RegisterExtension
    static final ServerExtension server = ServerExtension.perClass();

    private static long auditRowsFor(String id) {
        return server.db().count("SELECT count(*) FROM audit_log WHERE details_json LIKE ?", "%\"" + id + "\"%");
    }

    /** An entry as an import leaves it: global/synced, embedded, with synced_at a day ago. */
    private static String importedExperience(String code, String suffix) {
        String id = "EXP-" + code + "-20250101-00000000" + suffix;
        server.db().insertGlobalExperience(id, code, "Imported " + suffix, "embedded",
                Times.format(Instant.now().minus(1, ChronoUnit.DAYS)));
        return id;
    }

    @Test
    void aNewEntryIsLocalPendingWithEmbeddingPending() {
        String code = Fixtures.newCategory(server.http());
        Http http = server.http();
        for (JsonNode entry : new JsonNode[] {Fixtures.createExperience(http, code, "new"), Fixtures.createManual(http, code, "new")}) {
            assertThat(entry.path("source").asString()).isEqualTo("local");
            assertThat(entry.path("sync_status").asString()).isEqualTo("pending");
            assertThat(entry.path("embedding_status").asString()).isEqualTo("pending");
            assertThat(entry.path("synced_at").isNull()).isTrue();
        }
    }

    @Test
    void aPersonalEntryStaysLocalOnlyAcrossEdits() {
        String code = Fixtures.newCategory(server.http());
        Map<String, Object> body = Fixtures.experience(code, "personal note");
        body.put("sync_status", "local_only");
        JsonNode created = Fixtures.create(server.http(), "experiences", body);
        assertThat(created.path("source").asString()).isEqualTo("local");
        assertThat(created.path("sync_status").asString()).isEqualTo("local_only");
        String path = "/api/v1/experiences/" + created.path("id").asString();

        JsonNode titleEdit = server.http().patch(path, Map.of("title", "personal note, revised")).json();
        assertThat(titleEdit.path("sync_status").asString()).isEqualTo("local_only");
        JsonNode authorEdit = server.http().patch(path, Map.of("author", "me")).json();
        assertThat(authorEdit.path("sync_status").asString()).isEqualTo("local_only");
        assertThat(server.http().get(path).json().path("sync_status").asString()).isEqualTo("local_only");
        assertThat(server.db().rows("SELECT sync_status FROM experiences WHERE id = ?", created.path("id").asString()).getFirst())
                .containsEntry("sync_status", "local_only");

        // ... until its owner shares it
        JsonNode shared = server.http().patch(path, Map.of("sync_status", "pending")).json();
        assertThat(shared.path("sync_status").asString()).isEqualTo("pending");
        assertThat(shared.path("source").asString()).isEqualTo("local");
    }

    @Test
    void aLocalEntryCanBeMadePersonal() {
        String code = Fixtures.newCategory(server.http());
        String id = Fixtures.createManual(server.http(), code, "to be kept").path("id").asString();
        JsonNode r = server.http().patch("/api/v1/manuals/" + id, Map.of("sync_status", "local_only")).json();
        assertThat(r.path("sync_status").asString()).isEqualTo("local_only");
        assertThat(r.path("source").asString()).isEqualTo("local");
    }

    @Test
    void editingAGlobalSyncedEntryMakesItGlobalPending() {
        String code = Fixtures.newCategory(server.http());
        String id = importedExperience(code, "1");
        JsonNode before = server.http().get("/api/v1/experiences/" + id).json();
        assertThat(before.path("source").asString()).isEqualTo("global");
        assertThat(before.path("sync_status").asString()).isEqualTo("synced");
        assertThat(before.path("embedding_status").asString()).isEqualTo("embedded");

        Http.Response r = server.http().patch("/api/v1/experiences/" + id, Map.of("playbook", "A better playbook."));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode after = r.json();
        assertThat(after.path("source").asString()).isEqualTo("global");
        assertThat(after.path("sync_status").asString()).isEqualTo("pending");
        assertThat(after.path("embedding_status").asString()).as("text changed, so the vector is stale").isEqualTo("pending");
        assertThat(after.path("synced_at").asString()).as("synced_at records the last import").isEqualTo(before.path("synced_at").asString());
        Map<String, Object> stored = server.db()
                .rows("SELECT source, sync_status, embedding_status FROM experiences WHERE id = ?", id).getFirst();
        assertThat(stored).containsEntry("source", "global").containsEntry("sync_status", "pending");
    }

    @Test
    void editingASeededGuideMakesItGlobalPending() {
        String id = LibrarySeed.EVALUATOR_GUIDE_ID;
        JsonNode before = server.http().get("/api/v1/manuals/" + id).json();
        assertThat(before.path("source").asString()).isEqualTo("global");
        assertThat(before.path("sync_status").asString()).isEqualTo("synced");

        JsonNode after = server.http().patch("/api/v1/manuals/" + id, Map.of("summary", "Edited summary of the evaluator guide.")).json();
        assertThat(after.path("source").asString()).isEqualTo("global");
        assertThat(after.path("sync_status").asString()).isEqualTo("pending");
        assertThat(after.path("summary").asString()).isEqualTo("Edited summary of the evaluator guide.");
    }

    @Test
    void aGlobalEntryCannotBeMadeLocalOnly() {
        String code = Fixtures.newCategory(server.http());
        String id = importedExperience(code, "2");
        long audits = auditRowsFor(id);
        Http.Response r = server.http().patch("/api/v1/experiences/" + id, Map.of("sync_status", "local_only", "title", "mine now"));
        assertThat(r.status()).as(r.toString()).isEqualTo(422);
        assertThat(r.isProblem()).isTrue();
        assertThat(r.json().path("errors")).hasSize(1);
        assertThat(r.json().path("errors").get(0).path("field").asString()).isEqualTo("sync_status");

        JsonNode stored = server.http().get("/api/v1/experiences/" + id).json();
        assertThat(stored.path("sync_status").asString()).as("the refused edit changed nothing").isEqualTo("synced");
        assertThat(stored.path("title").asString()).isEqualTo("Imported 2");
        assertThat(auditRowsFor(id)).isEqualTo(audits);

        Http.Response guide = server.http().patch("/api/v1/manuals/" + LibrarySeed.GENERATOR_GUIDE_ID, Map.of("sync_status", "local_only"));
        assertThat(guide.status()).isEqualTo(422);
    }

    @Test
    void textEditsResetEmbeddingStatusButOtherEditsDoNot() {
        String code = Fixtures.newCategory(server.http());
        String id = Fixtures.createExperience(server.http(), code, "embedded already").path("id").asString();
        String path = "/api/v1/experiences/" + id;
        for (Map<String, Object> textEdit : java.util.List.<Map<String, Object>>of(
                Map.of("title", "retitled"), Map.of("playbook", "new playbook"), Map.of("context", "new context"),
                Map.of("section", "contextual"))) {
            assertThat(server.db().exec("UPDATE experiences SET embedding_status = 'embedded' WHERE id = ?", id)).isEqualTo(1);
            JsonNode after = server.http().patch(path, textEdit).json();
            assertThat(after.path("embedding_status").asString()).as("after %s", textEdit).isEqualTo("pending");
        }

        server.db().exec("UPDATE experiences SET embedding_status = 'embedded' WHERE id = ?", id);
        JsonNode authorOnly = server.http().patch(path, Map.of("author", "someone else")).json();
        assertThat(authorOnly.path("author").asString()).isEqualTo("someone else");
        assertThat(authorOnly.path("embedding_status").asString()).as("the author is not embedded text").isEqualTo("embedded");

        String manual = Fixtures.createManual(server.http(), code, "manual embedded").path("id").asString();
        server.db().exec("UPDATE manuals SET embedding_status = 'failed' WHERE id = ?", manual);
        assertThat(server.http().patch("/api/v1/manuals/" + manual, Map.of("content", "new content")).json()
                .path("embedding_status").asString()).isEqualTo("pending");
    }

    @Test
    void aPatchWithNoChangeDoesNotBumpUpdatedAtNorWriteAnAuditRow() throws InterruptedException {
        String code = Fixtures.newCategory(server.http());
        Map<String, Object> body = Fixtures.experience(code, "stable");
        body.put("context", "ctx");
        JsonNode created = Fixtures.create(server.http(), "experiences", body);
        String id = created.path("id").asString();
        String path = "/api/v1/experiences/" + id;
        long audits = auditRowsFor(id);
        assertThat(audits).isEqualTo(1);
        Thread.sleep(10);

        Http.Response same = server.http().patch(path, Map.of("title", "stable", "section", "useful",
                "playbook", created.path("playbook").asString(), "context", "ctx", "category_code", code, "sync_status", "pending"));
        assertThat(same.status()).isEqualTo(200);
        assertThat(Fixtures.stable(same.json())).isEqualTo(Fixtures.stable(created));
        Http.Response padded = server.http().patch(path, Map.of("title", "  stable  "));
        assertThat(padded.json().path("updated_at").asString()).as("text is trimmed before comparing").isEqualTo(created.path("updated_at").asString());
        Http.Response empty = server.http().patch(path, Map.of());
        assertThat(empty.status()).isEqualTo(200);
        assertThat(Fixtures.stable(empty.json())).isEqualTo(Fixtures.stable(created));

        assertThat(server.http().get(path).json().path("updated_at").asString()).isEqualTo(created.path("updated_at").asString());
        assertThat(auditRowsFor(id)).as("no-op patches leave no audit trail").isEqualTo(audits);

        // while a real change does both
        JsonNode changed = server.http().patch(path, Map.of("title", "changed")).json();
        assertThat(Instant.parse(changed.path("updated_at").asString())).isAfter(Instant.parse(created.path("updated_at").asString()));
        assertThat(auditRowsFor(id)).isEqualTo(audits + 1);
    }

    @Test
    void aNoChangePatchOfAGlobalEntryKeepsItSynced() {
        String code = Fixtures.newCategory(server.http());
        String id = importedExperience(code, "3");
        JsonNode after = server.http().patch("/api/v1/experiences/" + id, Map.of("title", "Imported 3")).json();
        assertThat(after.path("sync_status").asString()).isEqualTo("synced");
        assertThat(after.path("embedding_status").asString()).isEqualTo("embedded");
    }
}
