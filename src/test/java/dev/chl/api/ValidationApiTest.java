package dev.chl.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.testing.Fixtures;
import dev.chl.testing.Http;
import dev.chl.testing.ServerExtension;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Every input rule answers {@code application/problem+json} with a {@code detail} and, for field rules, exactly one
 * {@code errors[]} item per bad field — and writes nothing.
 */
class ValidationApiTest {
    @RegisterExtension
    static final ServerExtension server = ServerExtension.perClass();
    private static String code;
    private long rowsBefore;

    @BeforeAll
    static void category() {
        code = Fixtures.newCategory(server.http());
    }

    @BeforeEach
    void countRows() {
        rowsBefore = storedRows();
    }

    private static long storedRows() {
        // Background work (the start-up index heal job) writes audit rows as "system"; requests never do.
        return server.db().count("SELECT (SELECT count(*) FROM experiences) + (SELECT count(*) FROM manuals)"
                + " + (SELECT count(*) FROM audit_log WHERE source <> 'system')");
    }

    /** Asserts a problem document with {@code status}, and that nothing was stored by the request. */
    private JsonNode problem(Http.Response r, int status) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        JsonNode json = r.json();
        assertThat(json.path("status").asInt()).isEqualTo(status);
        assertThat(json.path("type").asString()).isNotBlank();
        assertThat(json.path("title").asString()).isNotBlank();
        assertThat(json.path("detail").asString()).isNotBlank();
        assertThat(storedRows()).as("a rejected write stores nothing").isEqualTo(rowsBefore);
        return json;
    }

    /** Asserts a 422 whose errors[] holds exactly one item for each of {@code fields}; returns field → message. */
    private Map<String, String> fieldErrors(Http.Response r, String... fields) {
        JsonNode errors = problem(r, 422).path("errors");
        assertThat(errors.isArray()).isTrue();
        List<String> reported = StreamSupport.stream(errors.spliterator(), false).map(e -> e.path("field").asString()).toList();
        assertThat(reported).as("one errors[] item per bad field in %s", r.body()).containsExactlyInAnyOrder(fields);
        Map<String, String> messages = new LinkedHashMap<>();
        errors.forEach(e -> {
            assertThat(e.path("message").asString()).isNotBlank();
            messages.put(e.path("field").asString(), e.path("message").asString());
        });
        return messages;
    }

    private static Map<String, Object> experience() {
        return Fixtures.experience(code, "A valid title");
    }

    @Test
    void badSectionNamesTheAllowedValues() {
        Map<String, Object> body = experience();
        body.put("section", "sometimes");
        Map<String, String> errors = fieldErrors(server.http().post("/api/v1/experiences", body), "section");
        assertThat(errors.get("section")).contains("sometimes").contains("useful").contains("harmful").contains("contextual");
    }

    @Test
    void titleOf121CharactersIsRejectedAnd120Accepted() {
        Map<String, Object> body = experience();
        body.put("title", "x".repeat(121));
        Map<String, String> errors = fieldErrors(server.http().post("/api/v1/experiences", body), "title");
        assertThat(errors.get("title")).contains("121").contains("120");

        Map<String, Object> manual = Fixtures.manual(code, "y".repeat(121));
        assertThat(fieldErrors(server.http().post("/api/v1/manuals", manual), "title").get("title")).contains("120");

        body.put("title", "x".repeat(120));
        Http.Response ok = server.http().post("/api/v1/experiences", body);
        assertThat(ok.status()).isEqualTo(201);
        assertThat(ok.json().path("entry").path("title").asString()).hasSize(120);
    }

    @Test
    void titleLengthCountsCharactersNotBytes() {
        Map<String, Object> body = experience();
        body.put("title", "é".repeat(120));
        assertThat(server.http().post("/api/v1/experiences", body).status()).isEqualTo(201);
    }

    @ParameterizedTest
    @ValueSource(strings = {"first line\nsecond line", "first line\r\nsecond", "carriage\rreturn", "line\u2028separator",
            "paragraph\u2029separator"})
    void multiLineTitleIsRejected(String title) {
        Map<String, Object> body = experience();
        body.put("title", title);
        assertThat(fieldErrors(server.http().post("/api/v1/experiences", body), "title").get("title")).contains("one line");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u0000starts with NUL", "NUL\u0000inside", "bell\u0007", "escape \u001b[31m"})
    void controlCharactersAreRejectedNamingThem(String text) {
        Map<String, Object> body = experience();
        body.put("title", text);
        body.put("playbook", text);
        Map<String, String> errors = fieldErrors(server.http().post("/api/v1/experiences", body), "title", "playbook");
        assertThat(errors.get("title")).contains("control character U+00").contains("remove it");
        Map<String, Object> manual = Fixtures.manual(code, "A valid title");
        manual.put("content", text);
        fieldErrors(server.http().post("/api/v1/manuals", manual), "content");
        fieldErrors(server.http().post("/api/v1/categories", Map.of("code", Fixtures.uniqueCode(), "name", text)), "name");
    }

    @Test
    void tabsAndLineBreaksStayAllowedInBodies() {
        Map<String, Object> body = experience();
        body.put("playbook", "Step one:\n\t- indent\r\n\t- and go");
        Http.Response ok = server.http().post("/api/v1/experiences", body);
        assertThat(ok.status()).as(ok.body()).isEqualTo(201);
        assertThat(ok.json().path("entry").path("playbook").asString()).isEqualTo("Step one:\n\t- indent\r\n\t- and go");
    }

    @Test
    void anUnpairedSurrogateIsRejectedNotStoredAsAQuestionMark() {
        String raw = "{\"category_code\":\"" + code + "\",\"section\":\"useful\",\"title\":\"lone \\ud800 half\",\"playbook\":\"p\"}";
        assertThat(fieldErrors(server.http().raw("POST", "/api/v1/experiences", "application/json", raw), "title").get("title"))
                .contains("surrogate");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u00a0", "\u200b", "\ufeff \u00a0", "\u2003\u202f"})
    void invisibleOnlyTextIsBlank(String text) {
        Map<String, Object> body = experience();
        body.put("title", text);
        body.put("playbook", text);
        Map<String, String> errors = fieldErrors(server.http().post("/api/v1/experiences", body), "title", "playbook");
        assertThat(errors.get("title")).contains("must not be empty");
    }

    @Test
    void aCategoryNameIsOneLine() {
        fieldErrors(server.http().post("/api/v1/categories", Map.of("code", Fixtures.uniqueCode(), "name", "line1\nline2")), "name");
        fieldErrors(server.http().put("/api/v1/categories/" + code, Map.of("name", "line1\u2029line2")), "name");
    }

    @Test
    void blankTitleIsRejected() {
        Map<String, Object> body = experience();
        body.put("title", "   ");
        fieldErrors(server.http().post("/api/v1/experiences", body), "title");
    }

    @Test
    void overlongPlaybookIsRejected() {
        Map<String, Object> body = experience();
        body.put("playbook", "p".repeat(2001));
        assertThat(fieldErrors(server.http().post("/api/v1/experiences", body), "playbook").get("playbook")).contains("2000");
    }

    @Test
    void unknownCategoryIsRejectedNamingTheCode() {
        Map<String, Object> body = experience();
        body.put("category_code", Fixtures.NEVER_CREATED);
        Map<String, String> errors = fieldErrors(server.http().post("/api/v1/experiences", body), "category_code");
        assertThat(errors.get("category_code")).contains(Fixtures.NEVER_CREATED);
        assertThat(fieldErrors(server.http().post("/api/v1/manuals", Fixtures.manual(Fixtures.NEVER_CREATED, "t")), "category_code"))
                .containsKey("category_code");
    }

    @Test
    void patchToAnUnknownCategoryIsRejected() {
        String id = Fixtures.createExperience(server.http(), code, "stays put").path("id").asString();
        rowsBefore = storedRows();
        fieldErrors(server.http().patch("/api/v1/experiences/" + id, Map.of("category_code", Fixtures.NEVER_CREATED)), "category_code");
        assertThat(server.http().get("/api/v1/experiences/" + id).json().path("category_code").asString()).isEqualTo(code);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"title\": ", "{title: 'x'}", "not json at all", "{\"a\":1}}", "[1,2]", "\"just a string\"", "null"})
    void malformedJsonIs400(String raw) {
        JsonNode json = problem(server.http().raw("POST", "/api/v1/experiences", "application/json", raw), 400);
        assertThat(json.has("errors")).isFalse();
    }

    @Test
    void duplicateJsonKeysAre400() {
        String raw = "{\"category_code\":\"" + code + "\",\"section\":\"useful\",\"title\":\"a\",\"title\":\"b\",\"playbook\":\"p\"}";
        problem(server.http().raw("POST", "/api/v1/experiences", "application/json", raw), 400);
    }

    @Test
    void emptyBodyIs400() {
        JsonNode json = problem(server.http().raw("POST", "/api/v1/experiences", "application/json", ""), 400);
        assertThat(json.path("detail").asString()).contains("empty");
        problem(server.http().raw("PATCH", "/api/v1/experiences/EXP-ARC-20200101-000000000", "application/json", ""), 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "application/xml"})
    void wrongContentTypeIs415(String type) {
        String raw = Http.JSON.writeValueAsString(experience());
        JsonNode json = problem(server.http().raw("POST", "/api/v1/experiences", type, raw), 415);
        assertThat(json.path("detail").asString()).contains("application/json");
        problem(server.http().raw("PUT", "/api/v1/categories/" + code, type, "{\"name\":\"x\"}"), 415);
    }

    @Test
    void missingContentTypeIs415() {
        problem(server.http().raw("POST", "/api/v1/experiences", null, Http.JSON.writeValueAsString(experience())), 415);
    }

    @Test
    void contentTypeWithCharsetIsAccepted() {
        Http.Response r = server.http().raw("POST", "/api/v1/experiences", "application/json; charset=utf-8",
                Http.JSON.writeValueAsString(experience()));
        assertThat(r.status()).isEqualTo(201);
    }

    @Test
    void unknownFieldIs422OnThatField() {
        Map<String, Object> body = experience();
        body.put("colour", "blue");
        assertThat(fieldErrors(server.http().post("/api/v1/experiences", body), "colour").get("colour")).contains("unknown field");

        // a field of the other kind is unknown too
        Map<String, Object> withContent = experience();
        withContent.put("content", "manual text");
        fieldErrors(server.http().post("/api/v1/experiences", withContent), "content");
        Map<String, Object> withSection = Fixtures.manual(code, "m");
        withSection.put("section", "useful");
        fieldErrors(server.http().post("/api/v1/manuals", withSection), "section");
    }

    @Test
    void numberWhereStringExpectedIs422() {
        Map<String, Object> body = experience();
        body.put("title", 42);
        assertThat(fieldErrors(server.http().post("/api/v1/experiences", body), "title").get("title")).contains("string");
    }

    @Test
    void wrongTypesAreEachReportedOnce() {
        Map<String, Object> body = experience();
        body.put("section", 5);
        body.put("playbook", true);
        body.put("context", List.of("a"));
        body.put("author", Map.of("name", "x"));
        fieldErrors(server.http().post("/api/v1/experiences", body), "section", "playbook", "context", "author");
    }

    @Test
    void missingRequiredFieldsAreAllReported() {
        Map<String, String> errors = fieldErrors(server.http().post("/api/v1/experiences", Map.of()),
                "category_code", "section", "title", "playbook");
        assertThat(errors.values()).allSatisfy(m -> assertThat(m).contains("required"));
        fieldErrors(server.http().post("/api/v1/manuals", Map.of()), "category_code", "title", "content");

        Map<String, Object> nulls = new LinkedHashMap<>();
        nulls.put("category_code", code);
        nulls.put("section", null);
        nulls.put("title", null);
        nulls.put("playbook", "p");
        fieldErrors(server.http().post("/api/v1/experiences", nulls), "section", "title");
    }

    @Test
    void severalBadFieldsComeBackTogether() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("category_code", code);
        body.put("section", "sometimes");
        body.put("title", "t".repeat(121));
        body.put("playbook", "");
        body.put("colour", "blue");
        JsonNode json = problem(server.http().post("/api/v1/experiences", body), 422);
        assertThat(json.path("errors")).hasSize(4);
        assertThat(json.path("detail").asString()).contains("4");
        fieldErrors(server.http().post("/api/v1/experiences", body), "section", "title", "playbook", "colour");
    }

    @Test
    void syncedCannotBeRequestedByAWriter() {
        Map<String, Object> body = experience();
        body.put("sync_status", "synced");
        fieldErrors(server.http().post("/api/v1/experiences", body), "sync_status");
        body.put("sync_status", "whatever");
        fieldErrors(server.http().post("/api/v1/experiences", body), "sync_status");
    }

    @Test
    void patchRulesMatchCreateRules() {
        String id = Fixtures.createExperience(server.http(), code, "patch target").path("id").asString();
        rowsBefore = storedRows();
        String path = "/api/v1/experiences/" + id;
        fieldErrors(server.http().patch(path, Map.of("title", "")), "title");
        fieldErrors(server.http().patch(path, Map.of("title", "two\nlines")), "title");
        fieldErrors(server.http().patch(path, Map.of("section", "sometimes")), "section");
        fieldErrors(server.http().patch(path, Map.of("colour", "blue", "title", 7)), "colour", "title");
        Map<String, Object> nullSection = new LinkedHashMap<>();
        nullSection.put("section", null);
        fieldErrors(server.http().patch(path, nullSection), "section");
        problem(server.http().raw("PATCH", path, "text/plain", "{}"), 415);
        problem(server.http().raw("PATCH", path, "application/json", "{oops"), 400);
        assertThat(server.http().get(path).json().path("title").asString()).isEqualTo("patch target");
    }

    @Test
    void anOverLargeJsonBodySaysTheLimit() {
        Map<String, Object> body = experience();
        body.put("playbook", "x".repeat(3 * 1024 * 1024));
        assertThat(problem(server.http().post("/api/v1/experiences", body), 413).path("detail").asString()).contains("2 MB");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/uploads", "/api/v1/settings/credentials", "/api/v1/settings/restore", "/api/v1/index/snapshot"})
    void aCutOffMultipartUploadIs400(String path) {
        String truncated = "--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.xlsx\"\r\n\r\nPK\u0003\u0004trunc";
        JsonNode problem = problem(server.http().raw("POST", path, "multipart/form-data; boundary=xyz", truncated), 400);
        assertThat(problem.path("detail").asString()).contains("multipart/form-data").doesNotContain("Exception");
    }

    @Test
    void categoryRulesAnswerProblems() {
        fieldErrors(server.http().post("/api/v1/categories", Map.of("code", "ZZ9", "name", "n".repeat(81))), "code", "name");
        fieldErrors(server.http().post("/api/v1/categories", Map.of("code", Fixtures.uniqueCode(), "name", "n", "colour", 1)), "colour");
        problem(server.http().raw("POST", "/api/v1/categories", "application/json", ""), 400);
        problem(server.http().raw("POST", "/api/v1/categories", "text/plain", "{}"), 415);
    }

    @Test
    void unknownRouteAndMethodAreProblems() {
        problem(server.http().get("/api/v1/nothing-here"), 404);
        Http.Response put = server.http().raw("PUT", "/api/v1/experiences", "application/json", "{}");
        JsonNode wrongVerb = problem(put, 405);
        assertThat(wrongVerb.path("detail").asString()).contains("PUT").contains("/api/v1/experiences").contains("GET");
        assertThat(put.header("Allow")).contains("GET").contains("POST");
        problem(server.http().raw("POST", "/api/v1/categories/ABC", "application/json", "{}"), 405);
    }
}
