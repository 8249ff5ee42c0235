package dev.chl.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.testing.ConsoleClient;
import dev.chl.testing.Http;
import dev.chl.testing.ServerExtension;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code /} on an empty data directory: Google Sheets is not set up, so the browser is sent to the setup wizard; once
 * the operator chooses to work with files only, this browser sees the overview.
 */
class ConsoleOverviewTest {
    @RegisterExtension
    static final ServerExtension server = ServerExtension.perClass();

    @Test
    void anEmptyDataDirectoryStartsWithTheSetupWizard() {
        ConsoleClient browser = server.console();

        Http.Response home = browser.page("/");
        assertThat(home.status()).as(home.toString()).isEqualTo(303);
        assertThat(home.header("Location")).isEqualTo("/setup");

        Document setup = Jsoup.parse(browser.page("/setup").body());
        assertThat(setup.select("ol.steps li[aria-current=step]").text()).isEqualTo("1. Service account");
        assertThat(setup.select("form[hx-post=/ui/settings/credentials] input[type=file][name=file]")).hasSize(1);
        assertThat(setup.select("form[hx-post=/ui/setup/skip]")).hasSize(1);
    }

    @Test
    void skippingTheWizardShowsTheOverview() {
        ConsoleClient browser = server.console();
        browser.page("/setup");

        Http.Response skip = browser.post("/ui/setup/skip", Map.of());

        assertThat(skip.status()).as(skip.toString()).isEqualTo(200);
        assertThat(skip.header("HX-Redirect")).isEqualTo("/");
        assertThat(skip.header("Set-Cookie")).containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Strict");
        Http.Response home = browser.page("/");
        assertThat(home.status()).as(home.toString()).isEqualTo(200);
        Document overview = Jsoup.parse(home.body());
        assertThat(overview.select("h1").text()).isEqualTo("Overview");
        assertThat(overview.select("#overview-live[hx-get=/ui/overview/live]")).hasSize(1);
        assertThat(overview.select("p.notice a[href=/setup]")).as("the way back to the wizard").hasSize(1);
        assertThat(overview.select(".stat-label").eachText()).containsExactly("experiences", "manuals", "categories");
    }

    @Test
    void theChoiceBelongsToTheBrowserThatMadeIt() {
        ConsoleClient skipped = server.console();
        skipped.page("/setup");
        skipped.post("/ui/setup/skip", Map.of());

        assertThat(server.console().page("/").header("Location")).isEqualTo("/setup");
    }
}
