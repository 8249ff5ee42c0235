package dev.chl.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.testing.Await;
import dev.chl.testing.Browser;
import dev.chl.testing.BulkRows;
import dev.chl.testing.Fixtures;
import dev.chl.testing.TestServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;

/** Keyboard focus after actions that re-render what was used, and a page whose console session ended. */
class ConsoleKeyboardAndSessionBrowserTest {
    private static TestServer server;
    private static Browser browser;

    @BeforeAll
    static void serverAndBrowser() {
        server = TestServer.start();
        Fixtures.pauseWorkers(server.http());
        server.http().post("/api/v1/workers/resume", java.util.Map.of());
        String category = Fixtures.newCategory(server.http());
        BulkRows.insertExperiences(server.databaseFile(), category, "13", 40, "pending");
        browser = Browser.open();
    }

    @AfterAll
    static void close() {
        browser.close();
        server.close();
    }

    private String focused() {
        return String.valueOf(browser.script("const a = document.activeElement; return a.tagName + '#' + a.id + ' ' + a.textContent.trim();"));
    }

    @Test
    void resumeAllKeepsFocusOnItsButton() {
        browser.go(server.baseUrl() + "/workers");
        browser.visible("#workers-resume-all").sendKeys(Keys.ENTER);
        Await.until("focus back on Resume all", Duration.ofSeconds(10), () -> focused().startsWith("BUTTON#workers-resume-all"));
        Await.sleep(Duration.ofMillis(300));
        assertThat(focused()).startsWith("BUTTON#workers-resume-all");
    }

    @Test
    void showMoreMovesFocusToTheFirstRowItLoaded() {
        browser.go(server.baseUrl() + "/entries");
        int before = browser.all("tbody tr:not(#more-row)").size();
        browser.visible("#more-row button").sendKeys(Keys.ENTER);
        Await.until("more rows", Duration.ofSeconds(10), () -> browser.all("tbody tr:not(#more-row)").size() > before);
        Await.until("focus on the first new row", Duration.ofSeconds(5), () -> focused().startsWith("A#"));
        Object index = browser.script("const row = document.activeElement.closest('tr');"
                + " return [...row.parentNode.children].indexOf(row);");
        assertThat(((Number) index).intValue()).as(focused()).isEqualTo(before);
    }

    @Test
    void aPageWhoseSessionEndedShowsOneNoticeAndStopsPolling() {
        browser.go(server.baseUrl() + "/operations");
        browser.visible("main h1");
        browser.driver().manage().deleteCookieNamed(ConsoleGuard.COOKIE); // as a server restart leaves the page
        browser.script("""
                window.__liveRequests = 0;
                document.addEventListener('htmx:beforeSend', e => { if (e.detail.elt.hasAttribute('data-live')) window.__liveRequests++; });
                document.querySelectorAll('[data-live]').forEach(el => htmx.trigger(el, 'poll'));""");
        browser.text(".session-ended", "reload");
        for (int i = 0; i < 3; i++) {
            browser.script("document.querySelectorAll('[data-live]').forEach(el => htmx.trigger(el, 'poll'));");
            Await.sleep(Duration.ofMillis(200));
        }
        Await.sleep(Duration.ofMillis(500));
        long asked = ((Number) browser.script("return window.__liveRequests")).longValue();
        assertThat(asked).as("live blocks stop asking once the session is gone").isLessThanOrEqualTo(2);
        assertThat(browser.all(".session-ended")).hasSize(1);
        assertThat(browser.all("#toasts .toast.error")).as("no toast per refused poll").isEmpty();

        browser.click(".session-ended button");
        browser.visible("main h1");
        Await.until("a fresh page", Duration.ofSeconds(10), () -> browser.all(".session-ended").isEmpty());
    }
}
