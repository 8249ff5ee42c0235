package dev.chl.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.app.App;
import dev.chl.app.Config;
import dev.chl.testing.ConsoleClient;
import dev.chl.testing.FakeGoogle;
import dev.chl.testing.Http;
import dev.chl.testing.SharedModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

/** Settings → Spreadsheets "Validate" tests the ids typed in the form, before they are saved. */
class ConsoleSheetsValidateTest {
    private static final String REVIEW = "review-sheet-typed-0001";
    private static final String PUBLISHED = "published-sheet-typed-0002";

    @Test
    void validateOpensTheSheetsTypedInTheFormAndSaysTheyAreNotSaved() throws Exception {
        Path dataDir = Files.createTempDirectory("chl-validate-");
        try (FakeGoogle google = new FakeGoogle();
             App app = App.start(new Config(dataDir, "127.0.0.1", 0, null, google.rootUrl()), Clock.systemUTC(), SharedModels::get)) {
            google.spreadsheet(REVIEW, "Typed review");
            google.spreadsheet(PUBLISHED, "Typed published");
            String base = "http://127.0.0.1:" + app.port();
            Http.Response key = new Http(base, null).upload("/api/v1/settings/credentials", "file", "key.json",
                    google.serviceAccountKey().getBytes(StandardCharsets.UTF_8));
            assertThat(key.status()).as("%s", key).isEqualTo(201);

            ConsoleClient console = new ConsoleClient(base);
            console.page("/settings");
            Http.Response checked = console.post("/ui/settings/sheets/validate", Map.of(
                    "review_sheet_id", "https://docs.google.com/spreadsheets/d/" + REVIEW + "/edit",
                    "published_sheet_id", PUBLISHED, "worksheets.categories", "", "worksheets.experiences", "",
                    "worksheets.manuals", ""));
            assertThat(checked.status()).as("%s", checked).isEqualTo(200);
            Document result = Jsoup.parseBodyFragment(checked.body());
            assertThat(result.text()).contains("opened \"Typed review\"").contains("opened \"Typed published\"")
                    .contains("not saved until you press Save").doesNotContain("id is not set");
            assertThat(new Http(base, null).get("/api/v1/settings").json().path("sheets").path("review_sheet_id").isNull())
                    .as("validating saves nothing").isTrue();

            Http.Response bad = console.post("/ui/settings/sheets/validate", Map.of("review_sheet_id", "not a sheet!"));
            assertThat(bad.status()).as("a malformed id is a field error, as on Save: %s", bad).isEqualTo(422);
            assertThat(bad.body()).contains("review_sheet_id");

            Document page = Jsoup.parse(console.page("/settings").body());
            assertThat(page.selectFirst("#sheets button[hx-post=/ui/settings/sheets/validate]")).as("the form's Validate").isNotNull();
        } finally {
            dev.chl.testing.TempDirs.deleteQuietly(dataDir);
        }
    }
}
