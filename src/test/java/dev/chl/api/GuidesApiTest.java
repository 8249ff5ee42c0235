package dev.chl.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.entries.LibrarySeed;
import dev.chl.testing.Http;
import dev.chl.testing.ServerExtension;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The two seeded assistant guides can be edited but not deleted: get_guidelines, the MCP prompts and chl://guides/*
 * read them, and the seed that wrote them runs only once.
 */
class GuidesApiTest {
    @RegisterExtension
    static final ServerExtension server = ServerExtension.perClass();

    @ParameterizedTest
    @ValueSource(strings = {LibrarySeed.GENERATOR_GUIDE_ID, LibrarySeed.EVALUATOR_GUIDE_ID})
    void deletingAGuideIsAConflictAndKeepsIt(String id) {
        Http http = server.http();
        String before = http.get("/api/v1/manuals/" + id).json().path("content").asString();

        Http.Response refused = http.delete("/api/v1/manuals/" + id);

        assertThat(refused.status()).as("%s", refused).isEqualTo(409);
        assertThat(refused.isProblem()).as("%s", refused).isTrue();
        assertThat(refused.json().path("detail").asString()).contains(id, "assistant guide", "edited but not deleted");
        assertThat(http.get("/api/v1/manuals/" + id).json().path("content").asString()).isEqualTo(before);
        assertThat(http.get("/api/v1/audit?action=entry.delete").json().path("items").toString()).doesNotContain(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {LibrarySeed.GENERATOR_GUIDE_ID, LibrarySeed.EVALUATOR_GUIDE_ID})
    void aGuideCanStillBeEdited(String id) {
        Http.Response edited = server.http().patch("/api/v1/manuals/" + id, Map.of("summary", "Sharpened by the team"));
        assertThat(edited.status()).as("%s", edited).isEqualTo(200);
        assertThat(edited.json().path("summary").asString()).isEqualTo("Sharpened by the team");
    }
}
