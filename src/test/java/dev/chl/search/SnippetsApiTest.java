package dev.chl.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.common.Text;
import dev.chl.testing.ChlApi;
import dev.chl.testing.Fixtures;
import dev.chl.testing.ServerExtension;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** The search API's snippets cut long bodies between characters: an emoji never arrives as half a pair, U+FFFD or '?'. */
class SnippetsApiTest {
    @RegisterExtension
    static final ServerExtension server = ServerExtension.perClass();

    private static String snippetOf(String title, String body) {
        ChlApi api = server.api();
        String code = Fixtures.newCategory(server.http());
        String id = api.experience(code, title, body);
        api.awaitEmbedded(id);
        JsonNode answer = api.search(title, "experience", code, 5);
        JsonNode hit = answer.path("results").path(0);
        assertThat(hit.path("id").asString()).as("%s", answer).isEqualTo(id);
        String snippet = hit.path("snippet").asString();
        assertThat(snippet).hasSizeLessThanOrEqualTo(Snippets.MAX).endsWith("…").doesNotContain("\ufffd", "?");
        assertThat(Text.unstorable(snippet)).as(snippet).isNull();
        assertThat(body).startsWith(snippet.substring(0, snippet.length() - 1));
        return snippet;
    }

    @Test
    void aBodyOfEmojiIsCutBetweenThem() {
        assertThat(snippetOf("Rocket launch checklist", "🚀".repeat(300))).isEqualTo("🚀".repeat(109) + "…");
    }

    @Test
    void mixedTextIsCutBetweenWholeCharacters() {
        snippetOf("Deployment verification routine", "Ship it 🚀🚀 then verify the 👩‍👩‍👧 dashboards, naïve café checks 🇩🇪 ".repeat(8));
    }
}
