package dev.chl.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.testing.Fixtures;
import dev.chl.testing.Http;
import dev.chl.testing.ServerExtension;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** A change and its audit row commit together or not at all (DESIGN §3, audit_log). */
class AuditAtomicityTest {
    @RegisterExtension
    static final ServerExtension server = ServerExtension.perClass();

    @AfterEach
    void dropTrigger() {
        server.db().script("DROP TRIGGER IF EXISTS fail_audit");
    }

    private static String uniqueActor() {
        return "actor-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static List<Map<String, Object>> auditRows(String actor) {
        return server.db().rows("SELECT actor, source, action, details_json FROM audit_log WHERE actor = ? ORDER BY id", actor);
    }

    private static long allAuditRows() {
        return server.db().count("SELECT count(*) FROM audit_log WHERE source <> 'system'");
    }

    private static JsonNode details(Map<String, Object> row) {
        return Http.JSON.readTree((String) row.get("details_json"));
    }

    @Test
    void createUpdateAndDeleteEachWriteExactlyOneAuditRow() {
        String actor = uniqueActor();
        Http as = server.http().as(actor);
        String code = Fixtures.newCategory(as);
        assertThat(auditRows(actor)).hasSize(1);

        String id = Fixtures.createExperience(as, code, "tracked").path("id").asString();
        List<Map<String, Object>> rows = auditRows(actor);
        assertThat(rows).hasSize(2);
        Map<String, Object> created = rows.get(1);
        assertThat(created).containsEntry("actor", actor).containsEntry("source", "api").containsEntry("action", "entry.create");
        assertThat(details(created).path("id").asString()).isEqualTo(id);
        assertThat(details(created).path("kind").asString()).isEqualTo("experience");
        assertThat(details(created).path("title").asString()).isEqualTo("tracked");

        assertThat(as.patch("/api/v1/experiences/" + id, Map.of("title", "tracked, renamed", "author", "x")).status()).isEqualTo(200);
        rows = auditRows(actor);
        assertThat(rows).hasSize(3);
        Map<String, Object> updated = rows.get(2);
        assertThat(updated).containsEntry("action", "entry.update").containsEntry("source", "api");
        assertThat(details(updated).path("id").asString()).isEqualTo(id);
        assertThat(details(updated).path("changed")).extracting(JsonNode::asString).containsExactly("title", "author");

        assertThat(as.delete("/api/v1/experiences/" + id).status()).isEqualTo(204);
        rows = auditRows(actor);
        assertThat(rows).hasSize(4);
        assertThat(rows.get(3)).containsEntry("action", "entry.delete");
        assertThat(details(rows.get(3)).path("id").asString()).isEqualTo(id);
        assertThat(details(rows.get(3)).path("title").asString()).isEqualTo("tracked, renamed");

        assertThat(as.put("/api/v1/categories/" + code, Map.of("name", "renamed shelf")).status()).isEqualTo(200);
        assertThat(as.delete("/api/v1/categories/" + code).status()).isEqualTo(204);
        rows = auditRows(actor);
        assertThat(rows).extracting(r -> r.get("action"))
                .containsExactly("category.create", "entry.create", "entry.update", "entry.delete", "category.update", "category.delete");
        assertThat(details(rows.get(5)).path("code").asString()).isEqualTo(code);
    }

    @Test
    void anUpdateOfAGlobalEntryRecordsTheSyncTransition() {
        String actor = uniqueActor();
        String code = Fixtures.newCategory(server.http());
        String id = "EXP-" + code + "-20250101-000000001";
        server.db().insertGlobalExperience(id, code, "imported", "embedded", "2025-01-01T00:00:00.000Z");
        server.http().as(actor).patch("/api/v1/experiences/" + id, Map.of("title", "edited"));
        List<Map<String, Object>> rows = auditRows(actor);
        assertThat(rows).hasSize(1);
        assertThat(details(rows.getFirst()).path("sync_status").asString()).isEqualTo("synced -> pending");
    }

    @Test
    void manualWritesAreAuditedWithTheirKind() {
        String actor = uniqueActor();
        String code = Fixtures.newCategory(server.http());
        String id = Fixtures.createManual(server.http().as(actor), code, "manual").path("id").asString();
        List<Map<String, Object>> rows = auditRows(actor);
        assertThat(rows).hasSize(1);
        assertThat(details(rows.getFirst()).path("kind").asString()).isEqualTo("manual");
        assertThat(details(rows.getFirst()).path("id").asString()).isEqualTo(id);
    }

    @Test
    void rejectedWritesWriteNoAuditRow() {
        String actor = uniqueActor();
        Http as = server.http().as(actor);
        String code = Fixtures.newCategory(server.http());
        String id = Fixtures.createExperience(server.http(), code, "existing").path("id").asString();
        long before = allAuditRows();

        Map<String, Object> bad = Fixtures.experience(code, "x".repeat(121));
        assertThat(as.post("/api/v1/experiences", bad).status()).isEqualTo(422);
        assertThat(as.post("/api/v1/experiences", Fixtures.experience(Fixtures.NEVER_CREATED, "t")).status()).isEqualTo(422);
        assertThat(as.patch("/api/v1/experiences/" + id, Map.of("section", "nope")).status()).isEqualTo(422);
        assertThat(as.patch("/api/v1/experiences/EXP-ARC-20200101-000000000", Map.of("title", "t")).status()).isEqualTo(404);
        assertThat(as.delete("/api/v1/experiences/EXP-ARC-20200101-000000000").status()).isEqualTo(404);
        assertThat(as.post("/api/v1/categories", Map.of("code", "bad", "name", "n")).status()).isEqualTo(422);
        assertThat(as.post("/api/v1/categories", Map.of("code", code, "name", "n")).status()).isEqualTo(409);
        assertThat(as.delete("/api/v1/categories/" + code).status()).isEqualTo(409);
        assertThat(as.put("/api/v1/settings/retention", Map.of("audit_days", 0)).status()).isEqualTo(422);
        assertThat(as.raw("POST", "/api/v1/experiences", "application/json", "{").status()).isEqualTo(400);

        assertThat(auditRows(actor)).isEmpty();
        assertThat(allAuditRows()).isEqualTo(before);
    }

    @Test
    void aCreateWhoseAuditInsertFailsLeavesNoEntry() {
        String code = Fixtures.newCategory(server.http());
        long entriesBefore = server.db().count("SELECT count(*) FROM experiences");
        server.db().script("CREATE TRIGGER fail_audit BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'boom'); END;");

        Http.Response r = server.http().post("/api/v1/experiences", Fixtures.experience(code, "must not survive"));
        assertThat(r.status()).as(r.toString()).isEqualTo(500);
        assertThat(r.isProblem()).isTrue();
        assertThat(r.json().path("status").asInt()).isEqualTo(500);
        assertThat(r.json().path("ref").asString()).as("a log reference for the operator").isNotBlank();
        assertThat(r.json().path("detail").asString()).contains(r.json().path("ref").asString()).doesNotContain("boom");
        Http.Response manual = server.http().post("/api/v1/manuals", Fixtures.manual(code, "must not survive either"));
        assertThat(manual.status()).isEqualTo(500);

        server.db().script("DROP TRIGGER fail_audit");
        assertThat(server.http().get("/api/v1/experiences?category=" + code).json().path("items")).isEmpty();
        assertThat(server.http().get("/api/v1/manuals?category=" + code).json().path("items")).isEmpty();
        assertThat(server.http().get("/api/v1/categories/" + code).json().path("experience_count").asLong()).isZero();
        assertThat(server.db().count("SELECT count(*) FROM experiences")).isEqualTo(entriesBefore);

        // and the server is fine afterwards
        assertThat(server.http().post("/api/v1/experiences", Fixtures.experience(code, "after the storm")).status()).isEqualTo(201);
    }

    @Test
    void anUpdateOrDeleteWhoseAuditInsertFailsChangesNothing() {
        String code = Fixtures.newCategory(server.http());
        JsonNode entry = Fixtures.createExperience(server.http(), code, "unchanged");
        String path = "/api/v1/experiences/" + entry.path("id").asString();
        server.db().script("CREATE TRIGGER fail_audit BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'boom'); END;");

        assertThat(server.http().patch(path, Map.of("title", "changed")).status()).isEqualTo(500);
        assertThat(server.http().delete(path).status()).isEqualTo(500);
        assertThat(server.http().put("/api/v1/categories/" + code, Map.of("name", "renamed")).status()).isEqualTo(500);
        String newCode = Fixtures.uniqueCode();
        assertThat(server.http().post("/api/v1/categories", Map.of("code", newCode, "name", "n")).status()).isEqualTo(500);
        assertThat(server.http().put("/api/v1/settings/retention", Map.of("audit_days", 33)).status()).isEqualTo(500);

        server.db().script("DROP TRIGGER fail_audit");
        assertThat(Fixtures.stable(server.http().get(path).json())).isEqualTo(Fixtures.stable(entry));
        assertThat(server.http().get("/api/v1/categories/" + code).json().path("name").asString()).isEqualTo("Test shelf " + code);
        assertThat(server.http().get("/api/v1/categories/" + newCode).status()).isEqualTo(404);
        assertThat(server.http().get("/api/v1/settings").json().path("retention").path("audit_days").asInt()).isNotEqualTo(33);
    }
}
