package dev.chl.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.testing.ConsoleClient;
import dev.chl.testing.Fixtures;
import dev.chl.testing.Http;
import dev.chl.testing.ServerExtension;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Creating an entry in the console runs the duplicate check before saving: a near-copy of an existing entry is not
 * saved but answered with the warning (swapped into the form's #dup-check), and saved only once the form confirms it.
 */
class ConsoleEntryCreateTest {
    private static final String TITLE = "Retry flaky network calls with jittered backoff";
    private static final String PLAYBOOK = "Wrap the call in a retry loop with exponential backoff and random jitter, "
            + "cap the attempts, and log each retry with the error that caused it.";

    @RegisterExtension
    static final ServerExtension server = ServerExtension.perClass();
    private static String existing;
    private ConsoleClient browser;

    @BeforeAll
    static void library() {
        existing = server.api().experience(Fixtures.newCategory(server.http()), TITLE, PLAYBOOK);
        server.api().awaitEmbedded(existing);
    }

    @BeforeEach
    void openTheForm() {
        browser = server.console();
        assertThat(browser.page("/entries/new?kind=experience").status()).isEqualTo(200);
    }

    private static int entriesIn(String category) {
        return server.http().get("/api/v1/experiences?category=" + category).json().path("items").size();
    }

    private static String createdId(Http.Response r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        String redirect = r.header("HX-Redirect");
        assertThat(redirect).as(r.toString()).matches("/entries/EXP-[A-Z]{3}-[0-9-]+\\?created=1");
        return redirect.substring("/entries/".length(), redirect.indexOf('?'));
    }

    @Test
    void aNearCopyIsNotSavedButAnswersTheDuplicateWarning() {
        String category = Fixtures.newCategory(server.http());

        Http.Response r = browser.post("/ui/entries", ConsoleClient.experienceForm(category, TITLE, PLAYBOOK));

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.header("HX-Retarget")).isEqualTo("#dup-check");
        assertThat(r.header("HX-Reswap")).isEqualTo("innerHTML");
        assertThat(r.header("HX-Redirect")).isNull();
        assertThat(r.header("HX-Trigger")).contains("chl-toast").contains("\"error\"");
        Document warning = Jsoup.parseBodyFragment(r.body());
        assertThat(warning.select("#dup-result").attr("data-closeness")).isEqualTo("TOO_CLOSE");
        assertThat(warning.select("#dup-result a[href=/entries/" + existing + "]")).hasSize(1);
        assertThat(warning.select("button[type=submit][name=confirm_duplicates][value=yes]")).hasSize(1);
        assertThat(entriesIn(category)).isZero();
    }

    @Test
    void confirmingTheWarningSavesTheEntry() {
        String category = Fixtures.newCategory(server.http());
        Map<String, String> form = ConsoleClient.experienceForm(category, TITLE, PLAYBOOK);
        form.put("confirm_duplicates", "yes");

        String id = createdId(browser.post("/ui/entries", form));

        assertThat(id).isNotEqualTo(existing).contains("-" + category + "-");
        assertThat(entriesIn(category)).isEqualTo(1);
        assertThat(server.api().entry(id).path("title").asString()).isEqualTo(TITLE);
        Document view = Jsoup.parse(browser.page("/entries/" + id + "?created=1").body());
        assertThat(view.select("h1").text()).isEqualTo(TITLE);
        assertThat(view.select("p.notice.ok").text()).startsWith("Saved.");
    }

    @Test
    void aNewEntryIsSavedAtOnce() {
        String category = Fixtures.newCategory(server.http());

        String id = createdId(browser.post("/ui/entries", ConsoleClient.experienceForm(category, "Name database migrations by date",
                "Prefix each migration file with its UTC timestamp so that branches merged later still apply in order.")));

        assertThat(entriesIn(category)).isEqualTo(1);
        assertThat(server.api().entry(id).path("sync_status").asString()).isEqualTo("pending");
    }

    @Test
    void theLiveCheckWarnsWithoutOfferingToSave() {
        Map<String, String> form = ConsoleClient.experienceForm(Fixtures.newCategory(server.http()), TITLE, PLAYBOOK);

        Http.Response r = browser.post("/ui/entries/check", form);

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        Document check = Jsoup.parseBodyFragment(r.body());
        assertThat(check.select("#dup-result").attr("data-closeness")).isEqualTo("TOO_CLOSE");
        assertThat(check.select("#dup-result a[href=/entries/" + existing + "]")).hasSize(1);
        assertThat(check.select("button[name=confirm_duplicates]")).isEmpty();
    }
}
