package dev.chl.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.testing.Browser;
import dev.chl.testing.Http;
import dev.chl.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The workers page in a real browser: pause and resume, and the badge following changes made elsewhere, live. */
class WorkersBrowserTest {

    @Test
    void pausingAndResumingAWorkerChangesItsBadgeWithoutAReload() {
        try (TestServer server = TestServer.start(); Browser browser = Browser.open()) {
            Http http = server.http();
            String worker = http.get("/api/v1/workers").json().path("workers").path(0).path("id").asString();
            String badge = "#worker-" + worker + " [data-worker-status]";
            browser.go(server.baseUrl() + "/workers");
            browser.script("window.__notReloaded = true");
            browser.text("body", "live");

            browser.click("#worker-" + worker + " button[aria-label='Pause " + worker + "']");
            assertThat(browser.confirm()).contains("Pause " + worker);
            browser.text(badge, "paused");
            assertThat(http.get("/api/v1/workers").json().path("workers").path(0).path("status").asString()).isEqualTo("paused");
            browser.screenshot("workers-paused");

            // Another client resumes it: the page learns of it over the live channel, not by reloading.
            http.post("/api/v1/workers/" + worker + "/resume", Map.of());
            browser.text(badge, "idle");
            assertThat(browser.script("return window.__notReloaded")).as("the page was not reloaded").isEqualTo(Boolean.TRUE);

            browser.click("#worker-" + worker + " button[aria-label='Pause " + worker + "']");
            browser.confirm();
            browser.text(badge, "paused");
            browser.click("#worker-" + worker + " button[aria-label='Resume " + worker + "']");
            browser.text(badge, "idle");
            assertThat(browser.script("return document.body.classList.contains('sse-open')")).isEqualTo(Boolean.TRUE);
            assertThat(browser.scriptProblems()).isEmpty();
        }
    }

    @Test
    void whenTheLiveChannelIsDownThePagePollsAndStillFollowsChanges() {
        try (TestServer server = TestServer.start(); Browser browser = Browser.open()) {
            Http http = server.http();
            String worker = http.get("/api/v1/workers").json().path("workers").path(0).path("id").asString();
            browser.go(server.baseUrl() + "/workers");
            browser.script("window.__notReloaded = true");
            // Close the page's EventSource as a dropped connection would leave it, and tell the page so.
            browser.script("""
                    const main = document.getElementById('content');
                    const source = htmx.find('#content') && main['htmx-internal-data'] && main['htmx-internal-data'].sseEventSource;
                    if (source) { source.onerror = null; source.close(); }
                    htmx.trigger(main, 'htmx:sseClose', {});""");
            browser.text("body.sse-down .live", "polling");
            http.post("/api/v1/workers/" + worker + "/pause", Map.of());
            browser.text("#worker-" + worker + " [data-worker-status]", "paused");
            assertThat(browser.script("return window.__notReloaded")).isEqualTo(Boolean.TRUE);
        }
    }
}
