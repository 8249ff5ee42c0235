package dev.chl.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.testing.Fixtures;
import dev.chl.testing.ServerExtension;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/** Export, then import that very file: for global content it is the identity, in both file formats. */
class RoundTripTest {
    private static final List<String> EXPERIENCE_CONTENT = List.of("id", "category_code", "section", "title", "playbook",
            "context", "author", "created_at");
    private static final List<String> MANUAL_CONTENT = List.of("id", "category_code", "title", "content", "summary", "author",
            "created_at");

    @RegisterExtension
    final ServerExtension server = ServerExtension.perTest();
    private ExchangeClient x;

    @BeforeEach
    void client() {
        x = new ExchangeClient(server.server());
    }

    /** Awkward but valid text: what a spreadsheet or CSV writer is most likely to mangle. */
    private void arrangeAwkwardLibrary() {
        String code = Fixtures.newCategory(x.http);
        String empty = Fixtures.uniqueCode();
        assertThat(x.http.post("/api/v1/categories", Map.of("code", empty, "name", "No description, \"quoted\"; a, b")).status())
                .isEqualTo(201);
        String[] titles = {
            "=SUM(A1:A2) looks like a formula",
            "+1 also looks like one",
            "-minus at the start",
            "@mention at the start",
            "'apostrophe at the start",
            "'=apostrophe then equals",
            "Quotes \"inside\", commas, and; semicolons",
            "Unicode: café – naïve – 日本語 – emoji 🚀",
            "Tab\tinside the title",
            "   spaces are stripped   ",
            "Literal _x0041_ and _x005F_x0042_ look like OOXML escapes",
        };
        for (int i = 0; i < titles.length; i++) {
            Map<String, Object> body = Fixtures.experience(i % 2 == 0 ? code : empty, titles[i]);
            body.put("playbook", "Line one of " + i + "\nLine two, with \"quotes\"\r\nLine three\n\n=1+1 at a line start");
            if (i % 3 == 0) {
                body.put("context", "Context with, commas\nand a second line");
            }
            if (i % 4 == 0) {
                body.put("author", "author " + i);
            }
            body.put("section", List.of("useful", "harmful", "contextual").get(i % 3));
            Fixtures.create(x.http, "experiences", body);
        }
        Map<String, Object> manual = Fixtures.manual(code, "A long manual");
        manual.put("content", "Paragraph.\n\n".repeat(600) + "= the end");
        manual.put("summary", "@summary, \"quoted\"");
        Fixtures.create(x.http, "manuals", manual);
        Fixtures.createManual(x.http, empty, "A manual without a summary or author");
        // Global, synced entries as an earlier import left them
        x.db.insertGlobalExperience(TestBook.experienceId(code, 1), code, "Imported earlier", "embedded", "2025-02-01T10:00:00.000Z");
        x.db.insertGlobalExperience(TestBook.experienceId(code, 2), code, "Imported earlier, with an author", "embedded",
                "2025-02-01T10:00:00.000Z");
        x.db.exec("UPDATE experiences SET author = NULL, context = 'ctx' WHERE id = ?", TestBook.experienceId(code, 2));
    }

    private static Map<String, Map<String, Object>> content(List<Map<String, Object>> rows, List<String> columns) {
        return rows.stream().collect(Collectors.toMap(r -> (String) r.get("id"),
                r -> columns.stream().collect(java.util.LinkedHashMap::new, (m, c) -> m.put(c, r.get(c)), Map::putAll)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"xlsx", "csv"})
    void importingItsOwnExportChangesNoContent(String target) {
        arrangeAwkwardLibrary();
        var experiencesBefore = content(x.experiences(), EXPERIENCE_CONTENT);
        var manualsBefore = content(x.manuals(), MANUAL_CONTENT);
        var categoriesBefore = x.db.rows("SELECT code, name, description, created_at FROM categories ORDER BY code");
        assertThat(experiencesBefore).hasSize(13);

        byte[] file = x.export(target);
        String upload = x.upload(target.equals("xlsx") ? "library.xlsx" : "library.zip", file);

        JsonNode preview = x.preview(upload);
        assertThat(preview.path("invalid_rows")).as("preview %s", preview).isEmpty();
        assertThat(preview.path("valid").asBoolean()).isTrue();
        JsonNode counts = preview.path("counts");
        assertThat(counts.path("add").asInt()).as("adds: %s", preview.path("add")).isZero();
        assertThat(counts.path("update").asInt()).as("updates: %s", ExchangeClient.texts(preview.path("update")).stream()
                .map(id -> x.entry(id).get("title")).toList()).isZero();
        assertThat(counts.path("retire").asInt()).as("retires: %s", preview.path("retire")).isZero();
        assertThat(counts.path("categories").asInt()).as("category changes").isZero();
        assertThat(counts.path("unchanged").asInt()).isEqualTo(experiencesBefore.size() + manualsBefore.size());

        JsonNode applied = x.apply(upload);
        assertThat(applied.path("counts").path("add").asInt()).isZero();
        assertThat(applied.path("counts").path("update").asInt()).isZero();
        assertThat(applied.path("counts").path("retire").asInt()).isZero();

        assertThat(content(x.experiences(), EXPERIENCE_CONTENT)).isEqualTo(experiencesBefore);
        assertThat(content(x.manuals(), MANUAL_CONTENT)).isEqualTo(manualsBefore);
        assertThat(x.db.rows("SELECT code, name, description, created_at FROM categories ORDER BY code")).isEqualTo(categoriesBefore);
        // the published set is now authoritative: every row global/synced
        assertThat(x.db.count("SELECT count(*) FROM experiences WHERE source <> 'global' OR sync_status <> 'synced' OR synced_at IS NULL"))
                .isZero();

        // and a second round trip of the new state is a no-op too
        JsonNode again = x.preview(x.upload("again", x.export(target)));
        assertThat(again.path("counts").path("add").asInt() + again.path("counts").path("update").asInt()
                + again.path("counts").path("retire").asInt()).as("second preview %s", again).isZero();
    }
}
