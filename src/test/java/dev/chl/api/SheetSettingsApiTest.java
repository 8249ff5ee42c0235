package dev.chl.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.testing.Http;
import dev.chl.testing.ServerExtension;
import dev.chl.testing.Sqlite;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** {@code PUT /api/v1/settings/sheets}: the spreadsheet ids and the worksheet names of the three tables. */
class SheetSettingsApiTest {
    private static final String REVIEW = "reviewSheet0123456789";
    private static final String PUBLISHED = "publishedSheet0123456789";

    @RegisterExtension
    final ServerExtension server = ServerExtension.perTest();

    private JsonNode sheets() {
        return server.http().get("/api/v1/settings").json().path("sheets");
    }

    private static Map<String, String> names(JsonNode worksheets) {
        return Map.of("categories", worksheets.path("categories").asString(), "experiences", worksheets.path("experiences").asString(),
                "manuals", worksheets.path("manuals").asString());
    }

    private static Map<String, String> names(String categories, String experiences, String manuals) {
        return Map.of("categories", categories, "experiences", experiences, "manuals", manuals);
    }

    @Test
    void worksheetNamesDefaultAreSetAsAWholeAndKeptWhenLeftOut() {
        assertThat(names(sheets().path("worksheets"))).isEqualTo(names("Categories", "Experiences", "Manuals"));

        Http.Response r = server.http().as("sheet-admin").put("/api/v1/settings/sheets", Map.of("review_sheet_id", REVIEW,
                "published_sheet_id", PUBLISHED, "worksheets", Map.of("experiences", "  Lessons learned ", "manuals", "Guide's pages")));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(names(r.json().path("worksheets"))).as("trimmed; the table left out is its default")
                .isEqualTo(names("Categories", "Lessons learned", "Guide's pages"));
        assertThat(names(sheets().path("worksheets"))).isEqualTo(names("Categories", "Lessons learned", "Guide's pages"));

        assertThat(server.http().put("/api/v1/settings/sheets", Map.of("review_sheet_id", "otherReviewSheet0123")).status()).isEqualTo(200);
        assertThat(names(sheets().path("worksheets"))).as("a change without worksheets keeps them")
                .isEqualTo(names("Categories", "Lessons learned", "Guide's pages"));

        Map<String, Object> nullNames = new HashMap<>();
        nullNames.put("experiences", null);
        nullNames.put("categories", "Shelves");
        assertThat(server.http().put("/api/v1/settings/sheets", Map.of("worksheets", nullNames)).status()).isEqualTo(200);
        assertThat(names(sheets().path("worksheets"))).as("the object is the whole mapping; null is the default")
                .isEqualTo(names("Shelves", "Experiences", "Manuals"));
        Map<String, Object> reset = new HashMap<>();
        reset.put("worksheets", null);
        assertThat(server.http().put("/api/v1/settings/sheets", reset).status()).isEqualTo(200);
        assertThat(names(sheets().path("worksheets"))).isEqualTo(names("Categories", "Experiences", "Manuals"));
        assertThat(sheets().path("published_sheet_id").asString()).isEqualTo(PUBLISHED);

        JsonNode audit = server.http().get("/api/v1/audit?actor=sheet-admin").json().path("items");
        assertThat(audit.get(0).path("details").path("value").path("worksheets").path("manuals").asString()).isEqualTo("Guide's pages");
    }

    @Test
    void badWorksheetNamesAre422NamingTheFieldAndChangeNothing() {
        server.http().put("/api/v1/settings/sheets", Map.of("worksheets", Map.of("experiences", "Lessons")));
        Sqlite db = server.db();
        // settings rows only: the fresh server's own start-up jobs may still write audit rows meanwhile
        long audits = db.count("SELECT count(*) FROM audit_log WHERE action LIKE 'settings.%'");
        JsonNode before = sheets();

        record Bad(Object worksheets, String field, String says) {}
        List<Bad> bad = new ArrayList<>(List.of(
                new Bad("Lessons", "worksheets", "object"),
                new Bad(List.of("Lessons"), "worksheets", "object"),
                new Bad(Map.of("experiences", ""), "worksheets.experiences", "blank"),
                new Bad(Map.of("experiences", "   "), "worksheets.experiences", "default 'Experiences'"),
                new Bad(Map.of("manuals", "x".repeat(101)), "worksheets.manuals", "100"),
                new Bad(Map.of("categories", 42), "worksheets.categories", "string"),
                new Bad(Map.of("categories", "'Quoted"), "worksheets.categories", "apostrophe"),
                new Bad(Map.of("categories", "Quoted'"), "worksheets.categories", "apostrophe"),
                new Bad(Map.of("manuals", "Line\nbreak"), "worksheets.manuals", "control character"),
                new Bad(Map.of("lessons", "Lessons"), "worksheets.lessons", "categories, experiences, manuals"),
                new Bad(Map.of("experiences", "Manuals"), "worksheets.experiences", "manuals"),
                new Bad(Map.of("categories", "Tabs", "experiences", "tabs"), "worksheets.experiences", "categories"),
                new Bad(Map.of("manuals", "Categories"), "worksheets.manuals", "categories")));
        for (String c : List.of("[", "]", "*", "?", "/", "\\", ":")) {
            bad.add(new Bad(Map.of("experiences", "Lessons " + c + " learned"), "worksheets.experiences", "'" + c + "'"));
        }
        for (Bad b : bad) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("worksheets", b.worksheets());
            Http.Response r = server.http().put("/api/v1/settings/sheets", body);
            assertThat(r.status()).as("%s -> %s", b.worksheets(), r).isEqualTo(422);
            assertThat(r.isProblem()).isTrue();
            JsonNode errors = r.json().path("errors");
            assertThat(errors).as("%s -> %s", b.worksheets(), r).hasSize(1);
            assertThat(errors.get(0).path("field").asString()).as("%s -> %s", b.worksheets(), r).isEqualTo(b.field());
            assertThat(errors.get(0).path("message").asString()).as("%s -> %s", b.worksheets(), r).contains(b.says());
        }

        Map<String, Object> twoBad = new LinkedHashMap<>();
        twoBad.put("review_sheet_id", "not a sheet!");
        twoBad.put("worksheets", Map.of("categories", "A:B", "manuals", "C*D"));
        List<String> fields = new ArrayList<>();
        server.http().put("/api/v1/settings/sheets", twoBad).json().path("errors").forEach(e -> fields.add(e.path("field").asString()));
        assertThat(fields).containsExactlyInAnyOrder("review_sheet_id", "worksheets.categories", "worksheets.manuals");

        assertThat(sheets()).isEqualTo(before);
        assertThat(db.count("SELECT count(*) FROM audit_log WHERE action LIKE 'settings.%'")).isEqualTo(audits);
    }

    @Test
    void sheetSettingsStoredBeforeWorksheetNamesReadAsTheDefaults() {
        Sqlite db = server.db();
        db.exec("INSERT INTO settings (key, value_json, updated_at) VALUES ('sheets', ?, '2026-01-01T00:00:00.000Z')",
                "{\"review_sheet_id\":\"" + REVIEW + "\",\"published_sheet_id\":\"" + PUBLISHED + "\"}");
        JsonNode sheets = sheets();
        assertThat(sheets.path("review_sheet_id").asString()).isEqualTo(REVIEW);
        assertThat(names(sheets.path("worksheets"))).isEqualTo(names("Categories", "Experiences", "Manuals"));
        assertThat(server.http().get("/api/v1/settings/backup").json().path("sections").path("sheets").path("worksheets").path("manuals")
                .asString()).isEqualTo("Manuals");

        Http.Response r = server.http().put("/api/v1/settings/sheets", Map.of("worksheets", Map.of("manuals", "Guides")));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().path("published_sheet_id").asString()).isEqualTo(PUBLISHED);
        assertThat(names(r.json().path("worksheets"))).isEqualTo(names("Categories", "Experiences", "Guides"));
    }
}
