package dev.chl.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.testing.Await;
import dev.chl.testing.Browser;
import dev.chl.testing.Fixtures;
import dev.chl.testing.Http;
import dev.chl.testing.TestServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The entries pages in a real browser: the duplicate check before saving, search with scores, view, edit, delete. */
class EntriesBrowserTest {
    private static final String TITLE = "Retry idempotent calls with exponential backoff and jitter";
    private static final String PLAYBOOK = "Retry only idempotent requests. Back off exponentially from 100 ms, add random jitter, "
            + "cap the wait at 10 s and give up after five attempts, logging each retry with its cause.";

    @Test
    void creatingANearCopyShowsTheDuplicateWarningBeforeSaving() {
        try (TestServer server = TestServer.start(); Browser browser = Browser.open()) {
            Http http = server.http();
            String category = Fixtures.newCategory(http);
            String existing = Fixtures.create(http, "experiences", Map.of("category_code", category, "section", "useful",
                    "title", TITLE, "playbook", PLAYBOOK)).path("id").asString();
            awaitSearchable(http, existing);

            browser.go(server.baseUrl() + "/entries/new?kind=experience&category=" + category);
            browser.type("#title", TITLE);
            browser.type("#playbook", PLAYBOOK);
            browser.text("#dup-check", "Too close to " + existing);
            browser.screenshot("entries-new-duplicate-warning", "#dup-check");

            // Save right after typing: the as-you-type check still pending must not take "Save anyway" away.
            browser.type("#title", TITLE);
            browser.click("#entry-form > .row button[type=submit]");
            browser.text("#dup-check", "Save anyway");
            Await.sleep(Duration.ofMillis(1500));
            assertThat(browser.all("#dup-check button[name=confirm_duplicates]")).as("Save anyway stays").hasSize(1);
            assertThat(count(http, category)).as("nothing is saved while the warning stands").isEqualTo(1);

            browser.click("#dup-check button[name=confirm_duplicates]");
            browser.text("main", "Saved.");
            assertThat(browser.path()).startsWith("/entries/EXP-" + category);
            assertThat(count(http, category)).isEqualTo(2);
            browser.text(".entry-view", "pending");
            browser.screenshot("entries-view");
            assertThat(browser.scriptProblems()).isEmpty();
        }
    }

    @Test
    void searchShowsScoresAndMatchPathsAndAnEntryCanBeEditedAndDeleted() {
        try (TestServer server = TestServer.start(); Browser browser = Browser.open()) {
            Http http = server.http();
            String category = Fixtures.newCategory(http);
            String id = Fixtures.create(http, "experiences", Map.of("category_code", category, "section", "useful",
                    "title", TITLE, "playbook", PLAYBOOK)).path("id").asString();
            awaitSearchable(http, id);

            browser.go(server.baseUrl() + "/entries?kind=experience");
            browser.type("#entry-query", "backoff jitter for retries");
            browser.text("#listing table.results", TITLE);
            assertThat(browser.visible("#listing table.results td.score").getText()).matches("[01]\\.\\d{3}");
            browser.text("#listing table.results", "lexical");
            browser.screenshot("entries-search");

            browser.go(server.baseUrl() + "/entries/" + id + "/edit");
            browser.type("#title", "");
            browser.click("#entry-form > .row button[type=submit]");
            browser.text("#error-title", "required");
            // The background duplicate check is not the form's submission: it must leave the unfixed field's error.
            browser.script("window.dupChecks = 0; document.body.addEventListener('htmx:afterRequest', function (e) {"
                    + " if (e.detail.elt.id === 'dup-check') window.dupChecks++; });");
            browser.driver().findElement(org.openqa.selenium.By.cssSelector("#playbook")).sendKeys(" More.");
            Await.until("the duplicate check to run", Duration.ofSeconds(10),
                    () -> ((Number) browser.script("return window.dupChecks;")).intValue() > 0);
            assertThat(browser.textOf("#error-title")).contains("required");
            browser.type("#title", TITLE + " (edited)");
            browser.click("#entry-form > .row button[type=submit]");
            browser.text("main", "Changes saved.");
            assertThat(http.get("/api/v1/experiences/" + id).json().path("title").asString()).endsWith("(edited)");

            browser.click("main form[hx-post$='/delete'] button");
            assertThat(browser.confirm()).contains("Delete");
            browser.text("main", "Deleted " + id);
            assertThat(http.get("/api/v1/experiences/" + id).status()).isEqualTo(404);
        }
    }

    @Test
    void theManualsContentFieldHasItsOwnIdAndItsLabelFocusesIt() {
        try (TestServer server = TestServer.start(); Browser browser = Browser.open()) {
            browser.go(server.baseUrl() + "/entries/new?kind=manual");
            browser.click("label[for=manual-content]");
            assertThat(browser.script("return document.activeElement.name")).isEqualTo("content");
            assertThat(browser.script("return document.getElementById('content').tagName")).isEqualTo("MAIN");
            assertThat(browser.script("const ids = [...document.querySelectorAll('[id]')].map(e => e.id);"
                    + " return ids.filter((id, i) => ids.indexOf(id) !== i);")).asList().isEmpty();
            // The duplicate check listens to the manual's own fields, not to every input inside <main>.
            assertThat(browser.script("return document.getElementById('dup-check').getAttribute('hx-trigger')")).asString()
                    .contains("from:#manual-content").doesNotContain("from:#content");
        }
    }

    private static long count(Http http, String category) {
        return http.get("/api/v1/experiences?category=" + category).json().path("items").size();
    }

    /** Waits until the entry is embedded and the index has picked it up (refreshes come every 200 ms). */
    private static void awaitSearchable(Http http, String id) {
        Await.until(id + " to be embedded", Duration.ofSeconds(60),
                () -> "embedded".equals(http.get("/api/v1/experiences/" + id).json().path("embedding_status").asString()));
        Await.until(id + " to be in the vector index", Duration.ofSeconds(10), () -> {
            JsonNode matches = http.post("/api/v1/search/duplicates", Map.of("kind", "experience", "title", TITLE, "body", PLAYBOOK))
                    .json().path("matches");
            return matches.size() > 0 && matches.path(0).path("id").asString().equals(id);
        });
    }
}
