package dev.chl.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.testing.ConsoleClient;
import dev.chl.testing.Fixtures;
import dev.chl.testing.Http;
import dev.chl.testing.ServerExtension;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/**
 * A console form with invalid input answers 422 problem+json whose {@code errors} name the form's own fields (console.js
 * puts each message next to the input of that name) and saves nothing; a page load of something missing is an HTML 404
 * page, not JSON.
 */
class ConsoleValidationTest {
    @RegisterExtension
    static final ServerExtension server = ServerExtension.perClass();
    private static String category;
    private ConsoleClient browser;

    @BeforeAll
    static void category() {
        category = Fixtures.newCategory(server.http());
    }

    @BeforeEach
    void openTheConsole() {
        browser = server.console();
        browser.page("/settings");
    }

    /** Asserts a 422 naming {@code field}, and that the form {@code formSelector} on {@code page} has an input of that name. */
    private void assertFieldError(Http.Response r, String field, String page, String formSelector) {
        assertThat(r.status()).as(r.toString()).isEqualTo(422);
        assertThat(r.isProblem()).as(r.toString()).isTrue();
        JsonNode errors = r.json().path("errors");
        assertThat(errors.valueStream().map(e -> e.path("field").asString())).as(r.body()).contains(field);
        errors.forEach(e -> assertThat(e.path("message").asString()).as("message of %s", e).isNotBlank());
        var form = Jsoup.parse(browser.page(page).body()).select(formSelector);
        assertThat(form).as("%s on %s", formSelector, page).hasSize(1);
        assertThat(form.select("[name=" + field + "]")).as("input %s in %s", field, formSelector).isNotEmpty();
    }

    private static JsonNode settings() {
        return server.http().get("/api/v1/settings").json();
    }

    @ParameterizedTest
    @CsvSource({"abc, 0.6, too_close_threshold", "7, 0.6, too_close_threshold", "0.85, -1, related_threshold",
            "0.7, 0.8, related_threshold"})
    void badThresholdsAreRefusedNextToTheirField(String tooClose, String related, String field) {
        JsonNode before = settings();

        Http.Response r = browser.post("/ui/settings/search", Map.of("too_close_threshold", tooClose, "related_threshold", related));

        assertFieldError(r, field, "/settings", "form#search-settings");
        assertThat(settings()).isEqualTo(before);
    }

    @Test
    void aBadWorkerCountIsRefusedNextToItsField() {
        JsonNode before = settings();

        Http.Response r = browser.post("/ui/settings/workers", Map.of("count", "many", "batch_size", "8", "max_attempts", "3"));

        assertFieldError(r, "count", "/settings", "form#worker-settings");
        assertThat(settings()).isEqualTo(before);
    }

    @Test
    void aClearedOrHugeNumberIsRefusedNextToItsFieldNotSavedAsTheOldValue() {
        JsonNode before = settings();

        Http.Response cleared = browser.post("/ui/settings/search", Map.of("too_close_threshold", "", "related_threshold", "0.6"));
        assertFieldError(cleared, "too_close_threshold", "/settings", "form#search-settings");
        assertThat(cleared.body()).contains("needs a value");

        Http.Response huge = browser.post("/ui/settings/workers", Map.of("count", "1", "batch_size", "99999999999999999999",
                "max_attempts", "3"));
        assertFieldError(huge, "batch_size", "/settings", "form#worker-settings");
        assertThat(huge.body()).contains("must be between 1 and 256");
        assertThat(settings()).isEqualTo(before);
    }

    @Test
    void theBackupsKeptAreRefusedBelowOneAndSavedFromTheRetentionForm() {
        JsonNode before = settings();
        Map<String, String> form = Map.of("audit_days", "90", "worker_metrics_hours", "24", "backups_kept", "0");

        assertFieldError(browser.post("/ui/settings/retention", form), "backups_kept", "/settings", "form#retention-settings");
        assertThat(settings()).isEqualTo(before);

        Http.Response saved = browser.post("/ui/settings/retention", Map.of("audit_days", "90", "worker_metrics_hours", "24",
                "backups_kept", "7"));
        assertThat(saved.status()).as(saved.toString()).isEqualTo(200);
        assertThat(settings().path("retention").path("backups_kept").asInt()).isEqualTo(7);
        assertThat(Jsoup.parse(browser.page("/settings").body()).select("form#retention-settings input[name=backups_kept]").attr("value"))
                .isEqualTo("7");
    }

    @Test
    void anEntryWithoutATitleIsNotCreated() {
        Http.Response r = browser.post("/ui/entries",
                ConsoleClient.experienceForm(category, "  ", "A playbook without a title to go with it."));

        assertFieldError(r, "title", "/entries/new?kind=experience", "form#entry-form");
        assertThat(server.http().get("/api/v1/experiences?category=" + category).json().path("items")).isEmpty();
    }

    @Test
    void anEditThatBlanksTheTitleChangesNothing() {
        JsonNode entry = Fixtures.createExperience(server.http(), category, "Stays as it was");
        String id = entry.path("id").asString();
        Http.Response r = browser.post("/ui/entries/" + id,
                ConsoleClient.experienceForm(category, "", "A new playbook that must not be saved without a title."));

        assertFieldError(r, "title", "/entries/" + id + "/edit", "form#entry-form");
        assertThat(Fixtures.stable(server.api().entry(id))).isEqualTo(Fixtures.stable(entry));
    }

    @Test
    void aRestoreFromAFileThatIsNotABackupChangesNothing() {
        JsonNode before = settings();

        Http.Response r = browser.upload("/ui/settings/restore", Map.of(), "file", "chl-settings.json",
                "this is not json".getBytes(StandardCharsets.UTF_8));

        assertFieldError(r, "file", "/settings", "form[hx-post=/ui/settings/restore]");
        assertThat(settings()).isEqualTo(before);
    }

    @Test
    void anImportWithoutAWorkbookIsRefusedAtTheFileInput() {
        Http.Response r = browser.post("/ui/operations/import", Map.of("source", "upload", "dry_run", "true"));

        assertFieldError(r, "file", "/operations", "form#import-form");
        assertThat(server.http().get("/api/v1/operations/jobs?type=import").json().get("jobs")).isNotNull().isEmpty();
    }

    @Test
    void loadingAMissingEntryIsAnHtmlNotFoundPage() {
        for (String path : new String[] {"/entries/EXP-NOPE-20260101-000000000", "/entries/EXP-NOPE-20260101-000000000/edit",
                "/no-such-page"}) {
            Http.Response page = browser.page(path);

            assertThat(page.status()).as(path).isEqualTo(404);
            assertThat(page.contentType()).as(path).startsWith("text/html");
            var doc = Jsoup.parse(page.body());
            assertThat(doc.select("h1").text()).isEqualTo("Not found");
            assertThat(doc.select("nav.main a[href=/entries]")).as("the page keeps the console's navigation").hasSize(1);
        }
    }

    @Test
    void anHtmxRequestForAMissingEntryGetsAProblem() {
        Http.Response r = browser.post("/ui/entries/EXP-NOPE-20260101-000000000/delete", Map.of());

        assertThat(r.status()).isEqualTo(404);
        assertThat(r.isProblem()).as(r.toString()).isTrue();
        assertThat(r.json().path("detail").asString()).contains("EXP-NOPE-20260101-000000000");
    }
}
