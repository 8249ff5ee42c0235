package dev.chl.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.testing.Http;
import dev.chl.testing.ServerExtension;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/**
 * The duplicate check (DESIGN §4) on create and at {@code POST /api/v1/search/duplicates}: similarity at or above the
 * "too close" threshold (0.85) asks to refactor, at or above "related" (0.60) asks to differentiate; both are settings.
 * The wordings were measured with the MiniLM model: lockfile ~ reproducible builds 0.73, flags ~ flag clean-up 0.66,
 * cursor ~ keyset pagination 0.58.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DuplicateGuidanceTest {
    private static final String[] LOCKFILE = {"Pin dependency versions in the lockfile",
            "Commit the lockfile and pin exact dependency versions so every build resolves the same packages."};
    private static final String[] LOCKFILE_NEAR_COPY = {"Pin dependency versions in the lock file",
            "Commit the lock file and pin exact versions of dependencies so each build resolves identical packages."};
    private static final String[] LOCKFILE_RELATED = {"Reproducible builds need a committed lockfile",
            "Without the lockfile in git, two builds of the same commit can pull different library versions."};
    private static final String[] FLAGS = {"Feature flags need an owner and an expiry date",
            "Every feature flag gets a named owner and a removal date so that stale flags do not pile up in the code."};
    private static final String[] FLAGS_RELATED = {"Clean up old feature flags after rollout",
            "Once a flag is on for everyone, delete it and the branch it guarded, or the code fills with dead switches."};
    private static final String[] CURSORS = {"Paginate list endpoints with cursors",
            "Return an opaque next_cursor instead of page numbers so that inserts between requests do not skip or repeat items."};
    private static final String[] CURSORS_LOOSE = {"Use keyset pagination for stable paging",
            "Page through results by the last seen key rather than by page number, so concurrent inserts do not shift pages."};
    private static final String[] LOGS = {"Rotate log files daily and cap their total size",
            "Let the logging framework rotate files every day and delete the oldest once the folder passes two gigabytes."};

    @RegisterExtension
    static final ServerExtension server = ServerExtension.perClass();
    private String lockfile;
    private String flags;
    private String cursors;
    private String logs;

    @BeforeAll
    void library() {
        server.api().category("DPA");
        server.api().category("DPB");
        lockfile = server.api().experience("DPA", LOCKFILE[0], LOCKFILE[1]);
        flags = server.api().experience("DPA", FLAGS[0], FLAGS[1]);
        cursors = server.api().experience("DPA", CURSORS[0], CURSORS[1]);
        logs = server.api().experience("DPA", LOGS[0], LOGS[1]);
        server.api().awaitEmbedded(lockfile, flags, cursors, logs);
    }

    private JsonNode duplicates(String kind, String category, String[] text) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("kind", kind);
        if (category != null) {
            body.put("category_code", category);
        }
        body.put("title", text[0]);
        body.put("body", text[1]);
        Http.Response r = server.http().post("/api/v1/search/duplicates", body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    private static JsonNode top(JsonNode report, String arrayField) {
        assertThat(report.path(arrayField)).as(report.toString()).isNotEmpty();
        return report.path(arrayField).get(0);
    }

    @Test
    void exactCopyIsTooCloseEvenOnAnotherShelf() {
        JsonNode created = server.api().createExperience("DPB", LOGS[0], LOGS[1]);

        assertThat(created.path("guidance").asString()).startsWith("Too close").contains(logs);
        JsonNode match = top(created, "duplicates");
        assertThat(match.path("id").asString()).isEqualTo(logs);
        assertThat(match.path("kind").asString()).isEqualTo("experience");
        assertThat(match.path("title").asString()).isEqualTo(LOGS[0]);
        assertThat(match.path("score").asDouble()).isGreaterThanOrEqualTo(0.85).isLessThanOrEqualTo(1.0);
        assertThat(created.path("entry").path("id").asString()).as("the copy is still created").startsWith("EXP-DPB-");
    }

    @Test
    void nearCopyIsTooClose() {
        JsonNode report = duplicates("experience", null, LOCKFILE_NEAR_COPY);

        assertThat(report.path("guidance").asString()).startsWith("Too close to " + lockfile).contains("refactor");
        assertThat(top(report, "matches").path("score").asDouble()).isGreaterThanOrEqualTo(0.85);
    }

    @Test
    void relatedEntryIsToldToDifferentiate() {
        JsonNode created = server.api().createExperience("DPB", FLAGS_RELATED[0], FLAGS_RELATED[1]);

        assertThat(created.path("guidance").asString()).startsWith("Related to " + flags).contains("differentiate");
        JsonNode match = top(created, "duplicates");
        assertThat(match.path("id").asString()).isEqualTo(flags);
        assertThat(match.path("score").asDouble()).isGreaterThanOrEqualTo(0.60).isLessThan(0.85);
    }

    @Test
    void looselySimilarEntryIsListedButNew() {
        JsonNode report = duplicates("experience", null, CURSORS_LOOSE);

        assertThat(report.path("guidance").asString()).startsWith("No close entries");
        JsonNode match = top(report, "matches");
        assertThat(match.path("id").asString()).isEqualTo(cursors);
        assertThat(match.path("score").asDouble()).isGreaterThanOrEqualTo(0.5).isLessThan(0.60);
    }

    @Test
    void unrelatedEntryHasNoCloseMatches() {
        JsonNode created = server.api().createExperience("DPB", "Bake bread at a high temperature",
                "Preheat the oven to 250 degrees and bake the loaf with steam for the first ten minutes.");

        assertThat(created.path("guidance").asString()).startsWith("No close entries");
        assertThat(created.path("duplicates")).allSatisfy(m -> assertThat(m.path("score").asDouble()).isLessThan(0.60));
    }

    @Test
    void thresholdsAreSettings() {
        assertThat(duplicates("experience", null, LOCKFILE_RELATED).path("guidance").asString()).startsWith("Related to " + lockfile);
        try {
            setThresholds(0.99, 0.80);
            assertThat(duplicates("experience", null, LOCKFILE_RELATED).path("guidance").asString()).startsWith("No close entries");
            assertThat(duplicates("experience", null, LOCKFILE_NEAR_COPY).path("guidance").asString()).startsWith("Related to " + lockfile);

            setThresholds(0.70, 0.50);
            assertThat(duplicates("experience", null, LOCKFILE_RELATED).path("guidance").asString()).startsWith("Too close to " + lockfile);
            assertThat(duplicates("experience", null, CURSORS_LOOSE).path("guidance").asString()).startsWith("Related to " + cursors);
        } finally {
            setThresholds(0.85, 0.60);
        }
        assertThat(duplicates("experience", null, LOCKFILE_RELATED).path("guidance").asString()).startsWith("Related to");
    }

    @Test
    void aRelatedThresholdBelowTheNoiseFloorStillLists() {
        String[] bread = {"Bake bread at a high temperature",
                "Preheat the oven to 250 degrees and bake the loaf with steam for the first ten minutes."};
        assertThat(duplicates("experience", null, bread).path("guidance").asString()).startsWith("No close entries");
        try {
            setThresholds(0.85, 0.01);
            JsonNode report = duplicates("experience", null, bread);
            assertThat(report.path("guidance").asString()).startsWith("Related to");
            assertThat(report.path("matches")).isNotEmpty()
                    .anySatisfy(m -> assertThat(m.path("score").asDouble()).isLessThan(SearchService.DUPLICATE_FLOOR));
        } finally {
            setThresholds(0.85, 0.60);
        }
    }

    @Test
    void theGuidanceNeverRoundsAScoreAcrossAThreshold() {
        var match = new dev.chl.model.DuplicateMatch("EXP-ABC-20260101-120000000", dev.chl.model.Kind.EXPERIENCE, "T", 0.8496);
        String guidance = SearchService.guidance(List.of(match), new dev.chl.settings.SearchSettings(0.85, 0.60));
        assertThat(guidance).startsWith("Related to").contains("similarity 0.849").doesNotContain("0.85");
    }

    @Test
    void thresholdSettingsAreValidated() {
        SearchApiTest.assertProblem(
                server.http().put("/api/v1/settings/search", Map.of("too_close_threshold", 0.5, "related_threshold", 0.7)),
                "related_threshold");
        SearchApiTest.assertProblem(server.http().put("/api/v1/settings/search", Map.of("too_close_threshold", 1.5)), "too_close_threshold");
        SearchApiTest.assertProblem(server.http().put("/api/v1/settings/search", Map.of("related_threshold", "high")), "related_threshold");
        assertThat(server.http().get("/api/v1/settings").body()).contains("0.85").contains("0.6");
    }

    private void setThresholds(double tooClose, double related) {
        Http.Response r = server.http().put("/api/v1/settings/search",
                Map.of("too_close_threshold", tooClose, "related_threshold", related));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    @Test
    void filtersRestrictTheCheck() {
        assertThat(ids(duplicates("manual", null, LOCKFILE_NEAR_COPY))).doesNotContain(lockfile);
        assertThat(ids(duplicates("experience", "DPB", LOCKFILE_NEAR_COPY))).doesNotContain(lockfile);
        assertThat(ids(duplicates("experience", "DPA", LOCKFILE_NEAR_COPY))).first().isEqualTo(lockfile);
    }

    @Test
    void checkingDoesNotCreateAnything() {
        long before = server.http().get("/api/v1/experiences?category=DPA&limit=500").json().path("items").size();
        duplicates("experience", "DPA", LOCKFILE_RELATED);
        assertThat(server.http().get("/api/v1/experiences?category=DPA&limit=500").json().path("items").size()).isEqualTo((int) before);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            {"kind":"experience","body":"text"}                                  | title
            {"kind":"experience","title":"","body":"text"}                       | title
            {"kind":"experience","title":"t"}                                    | body
            {"title":"t","body":"text"}                                          | kind
            {"kind":null,"title":"t","body":"text"}                              | kind
            {"kind":"entry","title":"t","body":"text"}                           | kind
            {"kind":"experience","category_code":"abc","title":"t","body":"b"}   | category_code
            {"kind":"experience","title":"t","body":"b","section":"useful"}      | section
            """)
    void invalidDuplicateCheckIsRefused(String body, String field) {
        SearchApiTest.assertProblem(server.http().raw("POST", "/api/v1/search/duplicates", "application/json", body), field);
    }

    @Test
    void overlongTitleIsRefused() {
        SearchApiTest.assertProblem(server.http().post("/api/v1/search/duplicates",
                Map.of("kind", "experience", "title", "t".repeat(121), "body", "b")), "title");
    }

    private static List<String> ids(JsonNode report) {
        List<String> ids = new java.util.ArrayList<>();
        report.path("matches").forEach(m -> ids.add(m.path("id").asString()));
        return ids;
    }
}
