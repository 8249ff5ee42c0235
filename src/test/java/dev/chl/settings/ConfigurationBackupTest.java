package dev.chl.settings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.testing.Http;
import dev.chl.testing.ServerExtension;
import dev.chl.testing.ServiceAccountKeys;
import dev.chl.testing.Sqlite;
import dev.chl.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Configuration backup and restore over the HTTP API: {@code GET /api/v1/settings/backup} on a server whose every
 * section differs from the defaults and which holds a Google credential, restored into fresh servers.
 */
class ConfigurationBackupTest {
    private static final String ACCOUNT = "backup-test@chl-project.iam.gserviceaccount.com";

    @RegisterExtension
    static final ServerExtension source = ServerExtension.perClass();
    private static String key;

    @BeforeAll
    static void configureEverySection() {
        put("retention", Map.of("audit_days", 30, "worker_metrics_hours", 48));
        put("search", Map.of("too_close_threshold", 0.9, "related_threshold", 0.55));
        put("workers", Map.of("count", 2, "batch_size", 32, "max_attempts", 5));
        put("operations", Map.of("job_timeout_seconds", 1200, "telemetry_interval_seconds", 10));
        put("sheets", Map.of("review_sheet_id", "https://docs.google.com/spreadsheets/d/reviewSheet0123456789/edit#gid=0",
                "published_sheet_id", "publishedSheet0123456789",
                "worksheets", Map.of("categories", "Shelves", "experiences", "Lessons learned", "manuals", "Guide's pages")));
        put("model", Map.of("model_id", "bge-small-en-v1.5-q"));
        key = ServiceAccountKeys.generate(ACCOUNT, "http://127.0.0.1:9/token");
        Http.Response upload = source.http().upload("/api/v1/settings/credentials", "file", "key.json",
                key.getBytes(StandardCharsets.UTF_8));
        assertThat(upload.status()).as(upload.toString()).isEqualTo(201);
    }

    private static void put(String section, Map<String, ?> body) {
        Http.Response r = source.http().put("/api/v1/settings/" + section, body);
        assertThat(r.status()).as("PUT %s: %s", section, r).isEqualTo(200);
    }

    private static Http.Response backup(Http on) {
        Http.Response r = on.get("/api/v1/settings/backup");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r;
    }

    /** What GET /api/v1/settings says, without the credential (which a backup deliberately leaves out). */
    private static JsonNode settings(Http on) {
        ObjectNode all = (ObjectNode) on.get("/api/v1/settings").json();
        all.remove("credentials");
        return all;
    }

    @Test
    void theBackupHoldsEverySectionAndNoSecret() {
        Http.Response r = backup(source.http());
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(r.header("Content-Disposition")).contains("attachment").contains(".json");
        JsonNode file = r.json();
        assertThat(file.path("format").asString()).isEqualTo("chl-settings");
        assertThat(file.path("version").asInt()).isEqualTo(1);
        assertThat(file.path("sections").propertyNames()).containsExactlyInAnyOrder("retention", "search", "workers",
                "operations", "sheets", "model");
        assertThat(file.path("sections").path("sheets").path("review_sheet_id").asString()).isEqualTo("reviewSheet0123456789");
        assertThat(file.path("sections").path("sheets").path("worksheets").path("experiences").asString()).isEqualTo("Lessons learned");
        assertThat(file.path("sections").path("sheets").path("worksheets").path("manuals").asString()).isEqualTo("Guide's pages");

        JsonNode credential = source.http().get("/api/v1/settings").json().path("credentials");
        assertThat(credential.path("client_email").asString()).as("the source really holds a credential").isEqualTo(ACCOUNT);
        String keyBody = Http.JSON.readTree(key).path("private_key").asString().lines().skip(1).findFirst().orElseThrow();
        assertThat(r.body()).doesNotContain("PRIVATE KEY").doesNotContain("private_key").doesNotContain(keyBody)
                .doesNotContain("0123456789abcdef") // private_key_id
                .doesNotContain(ACCOUNT).doesNotContain("credentials").doesNotContain("service-account-")
                .doesNotContain(source.server().dataDir().toString()).doesNotContain(credential.path("checksum_prefix").asString());
    }

    @Test
    void restoringTheBackupIntoAFreshServerReproducesTheSettings() {
        byte[] file = backup(source.http()).body().getBytes(StandardCharsets.UTF_8);
        try (TestServer fresh = TestServer.start()) {
            Http target = fresh.http();
            assertThat(settings(target)).as("a fresh server starts from the defaults").isNotEqualTo(settings(source.http()));

            // as the console sends it: the downloaded file, uploaded
            Http.Response r = target.upload("/api/v1/settings/restore", "file", "chl-settings.json", file);
            assertThat(r.status()).as(r.toString()).isEqualTo(200);

            assertThat(settings(target)).isEqualTo(settings(source.http()));
            assertThat(settings(target).path("sheets").path("worksheets").path("categories").asString()).isEqualTo("Shelves");
            assertThat(r.json()).isEqualTo(settings(source.http()));
            assertThat(backup(target).json().path("sections")).isEqualTo(backup(source.http()).json().path("sections"));
            assertThat(target.get("/api/v1/settings").json().path("credentials").isNull()).as("no credential travels").isTrue();
        }
    }

    @Test
    void aRestoreSentAsJsonIsTheSame() {
        JsonNode file = backup(source.http()).json();
        try (TestServer fresh = TestServer.start()) {
            Http.Response r = fresh.http().post("/api/v1/settings/restore", file);
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(settings(fresh.http())).isEqualTo(settings(source.http()));
        }
    }

    @Test
    void everyRestoreIsAuditedWithItsActor() {
        JsonNode file = backup(source.http()).json();
        try (TestServer fresh = TestServer.start()) {
            Http target = fresh.http().as("config-restorer");
            for (int round = 1; round <= 2; round++) {
                assertThat(target.post("/api/v1/settings/restore", file).status()).isEqualTo(200);
                JsonNode items = target.get("/api/v1/audit?actor=config-restorer&limit=100").json().path("items");
                List<String> sections = new ArrayList<>();
                int restores = 0;
                for (JsonNode item : items) {
                    if (item.path("action").asString().equals("settings.update")) {
                        sections.add(item.path("details").path("section").asString());
                    } else if (item.path("action").asString().equals("settings.restore")) {
                        restores++;
                        assertThat(item.path("details").path("sections")).hasSize(6);
                    }
                }
                assertThat(restores).as("one settings.restore row per restore").isEqualTo(round);
                assertThat(sections).as("one settings.update row per section and restore").hasSize(6 * round)
                        .containsOnly("retention", "search", "workers", "operations", "sheets", "model");
            }
            JsonNode workers = fresh.http().get("/api/v1/audit?action=settings.update&limit=100").json().path("items");
            JsonNode restoredWorkers = null;
            for (JsonNode item : workers) {
                if (item.path("details").path("section").asString().equals("workers")) {
                    restoredWorkers = item.path("details").path("value");
                }
            }
            assertThat(restoredWorkers).isNotNull();
            assertThat(restoredWorkers.path("count").asInt()).as("the audit row carries the value set").isEqualTo(2);
        }
    }

    @Test
    void aBadRestoreFileIsRejectedWithAProblemAndChangesNothing() {
        Http http = source.http();
        JsonNode before = settings(http);
        Sqlite db = source.db();
        long audits = db.count("SELECT count(*) FROM audit_log WHERE action LIKE 'settings.%'");
        String settingsRows = db.rows("SELECT key, value_json, updated_at FROM settings ORDER BY key").toString();

        record Bad(String what, int status, String field, Http.Response response) {}
        List<Bad> bad = new ArrayList<>();
        bad.add(new Bad("not JSON", 400, null, http.raw("POST", "/api/v1/settings/restore", "application/json", "{\"format\": ")));
        bad.add(new Bad("a JSON array", 400, null, http.raw("POST", "/api/v1/settings/restore", "application/json", "[]")));
        bad.add(new Bad("no body", 400, null, http.raw("POST", "/api/v1/settings/restore", "application/json", "")));
        bad.add(new Bad("text/plain", 415, null, http.raw("POST", "/api/v1/settings/restore", "text/plain", "{}")));
        bad.add(new Bad("uploaded file not JSON", 422, "file", upload("this is not json".getBytes(StandardCharsets.UTF_8))));
        bad.add(new Bad("uploaded file JSON null", 422, "file", upload("null".getBytes(StandardCharsets.UTF_8))));
        bad.add(new Bad("uploaded file empty", 422, "file", upload(new byte[0])));
        bad.add(new Bad("uploaded file too large", 422, "file", upload(new byte[300 * 1024])));
        bad.add(new Bad("multipart without a file", 422, "file", http.upload("/api/v1/settings/restore", "other", "x.json",
                "{}".getBytes(StandardCharsets.UTF_8))));
        bad.add(new Bad("another format", 422, "format", restore(Map.of("format", "something-else", "version", 1,
                "sections", Map.of("retention", Map.of("audit_days", 7))))));
        bad.add(new Bad("no sections", 422, "sections", restore(Map.of("format", "chl-settings", "version", 1))));
        bad.add(new Bad("empty sections", 422, "sections", restore(file(Map.of()))));
        bad.add(new Bad("a newer version", 422, "version", restore(Map.of("format", "chl-settings", "version", 2,
                "sections", Map.of("retention", Map.of("audit_days", 7))))));
        bad.add(new Bad("the version as text", 422, "version", restore(Map.of("format", "chl-settings", "version", "1",
                "sections", Map.of("retention", Map.of("audit_days", 7))))));
        bad.add(new Bad("an unknown top-level field", 422, "credentials", restore(Map.of("format", "chl-settings", "version", 1,
                "credentials", Map.of("private_key", "x"), "sections", Map.of("retention", Map.of("audit_days", 7))))));
        bad.add(new Bad("an unknown section", 422, "secrets", restore(file(Map.of("secrets", Map.of("x", 1))))));
        bad.add(new Bad("a section that is no object", 422, "workers", restore(file(Map.of("workers", 3)))));
        bad.add(new Bad("an out-of-range value", 422, "retention.audit_days", restore(file(Map.of("retention", Map.of("audit_days", 0))))));
        bad.add(new Bad("a value of the wrong type", 422, "operations.job_timeout_seconds",
                restore(file(Map.of("operations", Map.of("job_timeout_seconds", "ten minutes"))))));
        bad.add(new Bad("an unknown field in a section", 422, "workers.threads",
                restore(file(Map.of("workers", Map.of("count", 1, "threads", 4))))));
        bad.add(new Bad("an unknown model", 422, "model.model_id", restore(file(Map.of("model", Map.of("model_id", "gpt-9"))))));
        bad.add(new Bad("a spreadsheet id that is none", 422, "sheets.review_sheet_id",
                restore(file(Map.of("sheets", Map.of("review_sheet_id", "../../etc"))))));
        bad.add(new Bad("a worksheet name Google refuses", 422, "sheets.worksheets.experiences",
                restore(file(Map.of("sheets", Map.of("worksheets", Map.of("experiences", "Lessons: learned")))))));
        bad.add(new Bad("an unknown table among the worksheets", 422, "sheets.worksheets.lessons",
                restore(file(Map.of("sheets", Map.of("worksheets", Map.of("lessons", "Lessons")))))));
        Map<String, Object> oneBadAmongGood = new LinkedHashMap<>();
        oneBadAmongGood.put("retention", Map.of("audit_days", 7, "worker_metrics_hours", 1));
        oneBadAmongGood.put("workers", Map.of("count", 1, "batch_size", 8, "max_attempts", 1));
        oneBadAmongGood.put("search", Map.of("too_close_threshold", 0.5, "related_threshold", 0.7));
        bad.add(new Bad("valid sections beside an inconsistent one", 422, "search.related_threshold", restore(file(oneBadAmongGood))));

        for (Bad b : bad) {
            assertThat(b.response().status()).as("%s: %s", b.what(), b.response()).isEqualTo(b.status());
            assertThat(b.response().isProblem()).as("%s: %s", b.what(), b.response()).isTrue();
            assertThat(b.response().json().path("detail").asString()).as(b.what()).isNotBlank();
            if (b.field() != null) {
                List<String> fields = new ArrayList<>();
                b.response().json().path("errors").forEach(e -> fields.add(e.path("field").asString()));
                assertThat(fields).as("%s: %s", b.what(), b.response()).containsExactly(b.field());
            }
        }
        assertThat(settings(http)).isEqualTo(before);
        assertThat(db.rows("SELECT key, value_json, updated_at FROM settings ORDER BY key").toString()).isEqualTo(settingsRows);
        assertThat(db.count("SELECT count(*) FROM audit_log WHERE action LIKE 'settings.%'")).isEqualTo(audits);
    }

    private static Map<String, Object> file(Map<String, ?> sections) {
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("format", "chl-settings");
        file.put("version", 1);
        file.put("exported_at", "2026-01-01T00:00:00.000Z");
        file.put("sections", sections);
        return file;
    }

    private static Http.Response restore(Map<String, ?> file) {
        return source.http().post("/api/v1/settings/restore", file);
    }

    private static Http.Response upload(byte[] content) {
        return source.http().upload("/api/v1/settings/restore", "file", "chl-settings.json", content);
    }
}
