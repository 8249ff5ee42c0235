package dev.chl.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.testing.Await;
import dev.chl.testing.Browser;
import dev.chl.testing.BulkRows;
import dev.chl.testing.Fixtures;
import dev.chl.testing.Http;
import dev.chl.testing.OpsJobs;
import dev.chl.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import tools.jackson.databind.JsonNode;

/** The operations page in a real browser: an import's dry run, preview, apply with live progress; cancelling a job. */
class OperationsBrowserTest {
    private static final int ROWS = 3000;
    private static Path workbook;
    private static String category;

    /** A real export of a library with {@value #ROWS} experiences: the workbook a fresh server then imports. */
    @BeforeAll
    static void exportALibrary() throws Exception {
        try (TestServer source = TestServer.start()) {
            Http http = source.http();
            Fixtures.pauseWorkers(http);
            category = Fixtures.newCategory(http);
            BulkRows.insertExperiences(source.databaseFile(), category, "12", ROWS, "pending"); // ids EXP-…-120000000…
            JsonNode export = OpsJobs.run(http, "export", Map.of("target", "xlsx"));
            assertThat(export.path("status").asString()).as(export.toString()).isEqualTo("succeeded");
            Http.Download file = http.download("/api/v1/operations/jobs/" + export.path("job_id").asString() + "/download");
            assertThat(file.status()).isEqualTo(200);
            workbook = Files.createTempFile("chl-library-", ".xlsx");
            Files.write(workbook, file.body());
        }
    }

    @AfterAll
    static void removeWorkbook() throws Exception {
        Files.deleteIfExists(workbook);
    }

    @Test
    void aDryRunPreviewsTheImportAndTheApplyShowsLiveProgressTo100Percent() {
        try (TestServer server = TestServer.start(); Browser browser = Browser.open()) {
            Http http = server.http();
            browser.go(server.baseUrl() + "/operations");
            browser.attach("#import-file", workbook);
            browser.text("#upload-choice", "ready");
            browser.click("#controls-import button[type=submit]");

            browser.text("#import-preview", "Dry-run preview");
            assertThat(stat(browser, "to add")).as(browser.textOf("#status-import")).isEqualTo(Integer.toString(ROWS));
            assertThat(stat(browser, "invalid rows")).isEqualTo("0");
            assertThat(http.get("/api/v1/experiences?category=" + category).json().path("items").size())
                    .as("a dry run changes nothing").isZero();
            browser.screenshot("operations-import-preview", "#import-preview");

            browser.click("#import-preview button[type=submit]");
            assertThat(browser.confirm()).contains(ROWS + " added");
            List<Integer> seen = watchProgress(browser);
            browser.text("#status-import .last-run", "succeeded");
            browser.text("#actions-import .applied", ROWS + " added");
            assertThat(browser.textOf("#status-import .percent")).isEqualTo("100%");
            assertThat(seen).as("progress the page showed while the import ran, without a reload").isNotEmpty()
                    .allMatch(p -> p >= 0 && p <= 100);
            assertThat(browser.script("return window.__notReloaded")).isEqualTo(Boolean.TRUE);
            browser.screenshot("operations-import-applied");

            assertThat(http.get("/api/v1/experiences?category=" + category + "&limit=500").json().path("items").size()).isEqualTo(500);
            browser.text("#history", "Import");
            assertThat(browser.scriptProblems()).isEmpty();
        }
    }

    @Test
    void aRunningJobIsCancelledFromThePage() {
        try (TestServer server = TestServer.start(); Browser browser = Browser.open()) {
            Http http = server.http();
            OpsJobs.awaitIdle(http, Duration.ofSeconds(60));
            Fixtures.pauseWorkers(http);
            String shelf = Fixtures.newCategory(http);
            BulkRows.insertExperiences(server.databaseFile(), shelf, "C", 40_000, "embedded");
            browser.go(server.baseUrl() + "/operations");
            browser.click("#controls-index-rebuild button");
            browser.confirm();
            browser.visible("#actions-index-rebuild button.danger");
            browser.text("#controls-import", "Not now: an index-rebuild is running");
            assertThat(browser.enabled("#controls-import button")).as("import shares the index lock").isFalse();
            browser.screenshot("operations-rebuild-running");
            browser.click("#actions-index-rebuild button.danger");
            browser.confirm();

            browser.text("#status-index-rebuild .last-run", "cancelled");
            JsonNode job = http.get("/api/v1/operations/jobs?type=index-rebuild&limit=1").json().path("jobs").path(0);
            assertThat(job.path("status").asString()).isEqualTo("cancelled");
            assertThat(job.path("source").asString()).isEqualTo("ui");
            Await.until("the import button to be enabled again", Duration.ofSeconds(10),
                    () -> browser.enabled("#controls-import button"));
            browser.screenshot("operations-rebuild-cancelled");
        }
    }

    @Test
    void choosingAnotherWorkbookRemovesThePreviewOfTheEarlierOne() throws Exception {
        Path first = Files.createTempFile("first-", ".zip");
        Path second = Files.createTempFile("second-", ".zip");
        try (TestServer server = TestServer.start(); Browser browser = Browser.open()) {
            Files.write(first, ConsoleImportPreviewTest.workbook(""));
            Files.write(second, ConsoleImportPreviewTest.workbook(""));
            browser.go(server.baseUrl() + "/operations");
            browser.attach("#import-file", first);
            browser.text("#upload-choice", first.getFileName().toString());
            browser.click("#controls-import button[type=submit]");
            browser.text("#import-preview h3", first.getFileName().toString());

            browser.attach("#import-file", second);
            browser.text("#upload-choice", second.getFileName().toString());
            assertThat(browser.all("#import-preview")).as("the preview of the earlier file is gone with its Apply").isEmpty();
            browser.script("htmx.trigger(document.querySelector('[hx-get=\"/ui/operations/cards\"]'), 'poll')");
            Await.sleep(Duration.ofMillis(500));
            assertThat(browser.all("#import-preview")).as("and a live refresh does not bring it back").isEmpty();

            browser.click("#controls-import button[type=submit]");
            browser.text("#import-preview h3", second.getFileName().toString());
            browser.click("#import-preview button[type=submit]");
            assertThat(browser.confirm()).contains(second.getFileName().toString());
            browser.text("#actions-import .applied", second.getFileName().toString());
        } finally {
            Files.deleteIfExists(first);
            Files.deleteIfExists(second);
        }
    }

    /** The figure above a label in the dry-run preview ("to add", "invalid rows", …). */
    private static String stat(Browser browser, String label) {
        return browser.driver().findElement(By.xpath("//div[@id='import-preview']//div[contains(@class,'stat-label') and text()='"
                + label + "']/preceding-sibling::div[contains(@class,'stat')]")).getText();
    }

    /**
     * Samples the import card while the apply runs, in one script call each time (the card is swapped live, so
     * element references go stale); marks the window first, so the test can tell the page never reloaded.
     */
    private static List<Integer> watchProgress(Browser browser) {
        browser.script("window.__notReloaded = true");
        List<Integer> seen = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Object state = browser.script("""
                    const card = document.getElementById('status-import');
                    const last = card.querySelector('.last-run');
                    if (last && !last.textContent.includes('dry run')) return 'done';
                    const bar = card.querySelector('progress');
                    return !last && bar ? bar.value : null;""");
            if ("done".equals(state)) {
                break;
            }
            if (state instanceof Number n) {
                seen.add(n.intValue());
            }
            Await.sleep(Duration.ofMillis(25));
        }
        return seen;
    }
}
