package dev.chl.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.app.App;
import dev.chl.app.Config;
import dev.chl.testing.Browser;
import dev.chl.testing.FakeGoogle;
import dev.chl.testing.Http;
import dev.chl.testing.SharedModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The setup wizard in a real browser: from an empty data directory to configured, against the fake Google. */
class SetupWizardBrowserTest {
    private static final String REVIEW = "review-sheet-0001";
    private static final String PUBLISHED = "published-sheet-0002";

    @Test
    void theWizardTakesAnEmptyDataDirectoryToAConfiguredServer() throws Exception {
        Path dataDir = Files.createTempDirectory("chl-wizard-");
        try (FakeGoogle google = new FakeGoogle();
             App app = App.start(new Config(dataDir, "127.0.0.1", 0, null, google.rootUrl()), Clock.systemUTC(), SharedModels::get);
             Browser browser = Browser.open()) {
            google.spreadsheet(REVIEW, "CHL review");
            google.spreadsheet(PUBLISHED, "CHL published");
            Path key = Files.writeString(dataDir.resolveSibling(dataDir.getFileName() + "-key.json"), google.serviceAccountKey());
            String base = "http://127.0.0.1:" + app.port();

            browser.go(base + "/");
            assertThat(browser.path()).as("an unconfigured server opens on the wizard").isEqualTo("/setup");
            browser.text("ol.steps li[aria-current=step]", "Service account");
            browser.screenshot("setup-1-credentials");

            Path notAKey = Files.writeString(dataDir.resolveSibling(dataDir.getFileName() + "-bad.json"), "{\"type\":\"user\"}");
            browser.attach("#credential-file", notAKey);
            browser.click("#setup-step button[type=submit]");
            browser.text("#error-file", "lacks");
            assertThat(browser.all("ol.steps li[aria-current=step]").getFirst().getText()).contains("Service account");

            browser.attach("#credential-file", key);
            browser.click("#setup-step button[type=submit]");
            browser.text("ol.steps li[aria-current=step]", "Spreadsheets");
            browser.text("#setup-step", FakeGoogle.ACCOUNT);
            browser.text("#toasts", "Credential accepted"); // said on the page the upload led to

            browser.type("#review_sheet_id", "not a sheet!");
            browser.type("#published_sheet_id", "https://docs.google.com/spreadsheets/d/" + PUBLISHED + "/edit#gid=0");
            browser.click("#setup-step button[type=submit]");
            browser.text("#error-review_sheet_id", "spreadsheet id");
            browser.screenshot("setup-2-sheets-invalid");

            browser.type("#review_sheet_id", REVIEW);
            browser.click("#setup-step button[type=submit]");
            browser.text("ol.steps li[aria-current=step]", "Check the connection");
            browser.click("#setup-step button[hx-post='/ui/settings/test-connectivity']");
            browser.text("#connectivity", "opened \"CHL review\"");
            browser.text("#connectivity", "opened \"CHL published\"");
            assertThat(browser.all("#connectivity .badge.error")).isEmpty();
            browser.screenshot("setup-3-connected");

            browser.click("#setup-step a.button[href='/']");
            browser.text("main h1", "Overview");
            assertThat(browser.path()).isEqualTo("/");
            assertThat(browser.bodyText()).doesNotContain("Google Sheets is not set up");

            JsonNode settings = new Http(base, null).get("/api/v1/settings").json();
            assertThat(settings.path("sheets").path("review_sheet_id").asString()).isEqualTo(REVIEW);
            assertThat(settings.path("sheets").path("published_sheet_id").asString()).isEqualTo(PUBLISHED);
            assertThat(settings.path("credentials").path("client_email").asString()).isEqualTo(FakeGoogle.ACCOUNT);
            assertThat(browser.scriptProblems()).as("script errors or CSP violations").isEmpty();
        }
    }
}
