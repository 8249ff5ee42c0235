package dev.chl.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.entries.LibrarySeed;
import dev.chl.testing.Http;
import dev.chl.testing.ServerExtension;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The console cannot delete an assistant guide either: its page says why instead of offering the button's form. */
class GuidesConsoleTest {
    @RegisterExtension
    static final ServerExtension server = ServerExtension.perClass();

    @ParameterizedTest
    @ValueSource(strings = {LibrarySeed.GENERATOR_GUIDE_ID, LibrarySeed.EVALUATOR_GUIDE_ID})
    void theConsoleRefusesItTooAndShowsWhyInsteadOfADeleteForm(String id) {
        var console = server.console();
        console.page("/settings");
        Http.Response refused = console.post("/ui/entries/" + id + "/delete", Map.of());
        assertThat(refused.status()).as("%s", refused).isEqualTo(409);
        assertThat(server.http().get("/api/v1/manuals/" + id).status()).isEqualTo(200);

        String page = console.page("/entries/" + id).body();
        assertThat(page).doesNotContain("/ui/entries/" + id + "/delete").contains("can be edited but not deleted");
    }

    @ParameterizedTest
    @ValueSource(strings = {LibrarySeed.GENERATOR_GUIDE_ID})
    void theEditFormOfAGlobalEntryDoesNotOfferLocalOnly(String id) {
        assertThat(server.http().get("/api/v1/manuals/" + id).json().path("source").asString()).isEqualTo("global");
        var form = org.jsoup.Jsoup.parse(server.console().page("/entries/" + id + "/edit").body());
        assertThat(form.select("#sync_status option").eachAttr("value")).as("the service always refuses local_only here")
                .doesNotContain("local_only").contains("pending");
    }
}
