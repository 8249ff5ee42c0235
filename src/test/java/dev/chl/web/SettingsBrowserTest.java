package dev.chl.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.testing.Browser;
import dev.chl.testing.TestServer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The settings page's Spreadsheets form in a real browser: the worksheet names, checked by the settings service. */
class SettingsBrowserTest {
    @Test
    void theSpreadsheetsFormSetsTheWorksheetNames() {
        try (TestServer server = TestServer.start(); Browser browser = Browser.open()) {
            browser.go(server.baseUrl() + "/");
            browser.click("form[hx-post='/ui/setup/skip'] button"); // files only: the overview instead of the wizard
            browser.text("main h1", "Overview");
            browser.go(server.baseUrl() + "/settings");
            assertThat(browser.visible("#worksheets-experiences").getDomProperty("value")).isEqualTo("Experiences");

            browser.type("#worksheets-experiences", "Lessons: learned");
            browser.click("#sheets button[type=submit]");
            browser.text("[id='error-worksheets.experiences']", "':'");
            assertThat(browser.visible("#worksheets-experiences").getDomAttribute("aria-invalid")).isEqualTo("true");

            browser.type("#worksheets-experiences", "Lessons learned");
            browser.type("#worksheets-manuals", ""); // empty: the usual name
            browser.type("#worksheets-categories", "Shelves");
            browser.click("#sheets button[type=submit]");
            browser.text("#toasts", "Spreadsheets saved");
            assertThat(browser.visible("#worksheets-experiences").getDomProperty("value")).isEqualTo("Lessons learned");
            assertThat(browser.visible("#worksheets-manuals").getDomProperty("value")).isEqualTo("Manuals");

            JsonNode worksheets = server.http().get("/api/v1/settings").json().path("sheets").path("worksheets");
            assertThat(worksheets.path("categories").asString()).isEqualTo("Shelves");
            assertThat(worksheets.path("experiences").asString()).isEqualTo("Lessons learned");
            assertThat(worksheets.path("manuals").asString()).isEqualTo("Manuals");
            assertThat(browser.scriptProblems()).as("script errors or CSP violations").isEmpty();
        }
    }

    @Test
    void aRefusedFilterSaysItDidNotFilterNotThatSomethingWasNotSaved() {
        try (TestServer server = TestServer.start(); Browser browser = Browser.open()) {
            browser.go(server.baseUrl() + "/");
            browser.click("form[hx-post='/ui/setup/skip'] button");
            browser.text("main h1", "Overview");
            browser.go(server.baseUrl() + "/settings");
            browser.type("#audit-since", "yesterday");
            browser.click("form[hx-get='/ui/audit'] button");
            browser.text("#toasts", "Not filtered: fix the highlighted field.");
            assertThat(browser.textOf("#toasts")).doesNotContain("Not saved");
        }
    }
}
