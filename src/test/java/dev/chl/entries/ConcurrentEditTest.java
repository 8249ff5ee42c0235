package dev.chl.entries;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.testing.ConsoleClient;
import dev.chl.testing.Http;
import dev.chl.testing.ServerExtension;
import java.util.Map;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two people editing one entry: an edit made against a version that is no longer current is refused with 409 and
 * saves nothing — through the API with If-Match (the ETag a GET gives), and always in the console (its edit form
 * carries the version it was opened on).
 */
class ConcurrentEditTest {
    @RegisterExtension
    static final ServerExtension server = ServerExtension.perClass();

    @BeforeAll
    static void category() {
        server.api().category("CED");
    }

    @Test
    void anApiEditWithAStaleIfMatchIsRefusedAndSavesNothing() {
        String id = server.api().experience("CED", "Pin the build image", "Build in a pinned container image.");
        Http http = server.http();
        Http.Response read = http.get("/api/v1/experiences/" + id);
        String etag = read.header("ETag");
        assertThat(etag).isEqualTo("\"" + read.json().path("updated_at").asString() + "\"");

        Http.Response first = http.send("PATCH", "/api/v1/experiences/" + id, Map.of("Content-Type", "application/json",
                "If-Match", etag), "{\"title\":\"Pin the build image by digest\"}");
        assertThat(first.status()).as("%s", first).isEqualTo(200);
        assertThat(first.header("ETag")).isNotEqualTo(etag);

        Http.Response second = http.send("PATCH", "/api/v1/experiences/" + id, Map.of("Content-Type", "application/json",
                "If-Match", etag), "{\"playbook\":\"An edit made on the old version.\"}");
        assertThat(second.status()).as("%s", second).isEqualTo(409);
        assertThat(second.json().path("detail").asString()).contains("was changed", "nothing was saved", "Reload");
        assertThat(second.json().path("updated_at").asString()).isEqualTo(first.json().path("updated_at").asString());
        assertThat(server.api().entry(id).path("playbook").asString()).isEqualTo("Build in a pinned container image.");

        Http.Response wrongShape = http.send("PATCH", "/api/v1/experiences/" + id, Map.of("Content-Type", "application/json",
                "If-Match", "\"yesterday\""), "{\"playbook\":\"Not a version.\"}");
        assertThat(wrongShape.status()).as("%s", wrongShape).isEqualTo(422);
        assertThat(wrongShape.json().path("errors").get(0).path("field").asString()).isEqualTo("If-Match");
        assertThat(server.api().entry(id).path("playbook").asString()).isEqualTo("Build in a pinned container image.");
        // The current version written another way (an offset instead of Z) is the same version: instants are compared.
        String sameVersion = first.json().path("updated_at").asString().replace("Z", "+00:00");
        Http.Response current = http.send("PATCH", "/api/v1/experiences/" + id, Map.of("Content-Type", "application/json",
                "If-Match", "\"" + sameVersion + "\""), "{\"context\":\"CI images\"}");
        assertThat(current.status()).as("%s", current).isEqualTo(200);

        Http.Response list = http.send("PATCH", "/api/v1/experiences/" + id, Map.of("Content-Type", "application/json",
                "If-Match", "\"" + sameVersion + "\", \"x\""), "{\"context\":\"a list\"}");
        assertThat(list.status()).as("%s", list).isEqualTo(422);
        assertThat(list.json().path("errors").get(0).path("message").asString()).contains("not a list");

        Http.Response unconditional = http.patch("/api/v1/experiences/" + id, Map.of("playbook", "Without If-Match, as before."));
        assertThat(unconditional.status()).as("no If-Match: no check").isEqualTo(200);
    }

    @Test
    void anApiDeleteWithAStaleIfMatchIsRefusedAndDeletesNothing() {
        String id = server.api().experience("CED", "Rotate the signing key", "Rotate the signing key every quarter.");
        Http http = server.http();
        String etag = http.get("/api/v1/experiences/" + id).header("ETag");
        Http.Response edited = http.send("PATCH", "/api/v1/experiences/" + id, Map.of("Content-Type", "application/json",
                "If-Match", etag), "{\"playbook\":\"Rotate the signing key every month.\"}");
        assertThat(edited.status()).as("%s", edited).isEqualTo(200);

        Http.Response stale = http.send("DELETE", "/api/v1/experiences/" + id, Map.of("If-Match", etag), null);

        assertThat(stale.status()).as("%s", stale).isEqualTo(409);
        assertThat(stale.json().path("detail").asString()).contains("was changed", "nothing was deleted");
        assertThat(stale.json().path("updated_at").asString()).isEqualTo(edited.json().path("updated_at").asString());
        assertThat(server.api().entry(id).path("playbook").asString()).as("still there").isEqualTo("Rotate the signing key every month.");
        assertThat(http.send("DELETE", "/api/v1/experiences/" + id, Map.of("If-Match", "\"yesterday\""), null).status())
                .as("not a version").isEqualTo(422);

        Http.Response current = http.send("DELETE", "/api/v1/experiences/" + id, Map.of("If-Match", edited.header("ETag")), null);
        assertThat(current.status()).as("%s", current).isEqualTo(204);
        assertThat(http.get("/api/v1/experiences/" + id).status()).isEqualTo(404);
    }

    @Test
    void aConsoleDeleteOfAPageOpenedBeforeSomeoneElsesSaveIsRefused() {
        String id = server.api().experience("CED", "Drain before deploy", "Drain the node before deploying.");
        ConsoleClient browser = server.console();
        String openedAt = Jsoup.parse(browser.page("/entries/" + id).body())
                .select("form[hx-post=/ui/entries/" + id + "/delete] input[name=updated_at]").attr("value");
        assertThat(openedAt).isEqualTo(server.api().entry(id).path("updated_at").asString());
        assertThat(server.http().patch("/api/v1/experiences/" + id, Map.of("playbook", "Drain the node, then deploy.")).status())
                .isEqualTo(200);

        Http.Response deleted = browser.post("/ui/entries/" + id + "/delete", Map.of("updated_at", openedAt));

        assertThat(deleted.status()).as("%s", deleted).isEqualTo(409);
        assertThat(server.api().entry(id).path("playbook").asString()).isEqualTo("Drain the node, then deploy.");
    }

    @Test
    void aConsoleEditOpenedBeforeSomeoneElsesSaveIsRefused() {
        String id = server.api().experience("CED", "Cap retries per request", "Allow at most two retries per request.");
        ConsoleClient browser = server.console();
        String openedAt = Jsoup.parse(browser.page("/entries/" + id + "/edit").body()).select("input[name=updated_at]").attr("value");
        assertThat(openedAt).isEqualTo(server.api().entry(id).path("updated_at").asString());

        // Someone else saves a new title meanwhile.
        assertThat(server.http().patch("/api/v1/experiences/" + id, Map.of("title", "Cap retries per request at two")).status())
                .isEqualTo(200);

        // The first editor only meant to change the playbook, but their form still holds the old title.
        Map<String, String> form = ConsoleClient.experienceForm("CED", "Cap retries per request", "Allow at most two retries.");
        form.put("updated_at", openedAt);
        Http.Response saved = browser.post("/ui/entries/" + id, form);

        assertThat(saved.status()).as("%s", saved).isEqualTo(409);
        assertThat(saved.body()).contains("was changed");
        assertThat(server.api().entry(id).path("title").asString()).as("the other save survives")
                .isEqualTo("Cap retries per request at two");
        assertThat(server.api().entry(id).path("playbook").asString()).isEqualTo("Allow at most two retries per request.");
    }
}
