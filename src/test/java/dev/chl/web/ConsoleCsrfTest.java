package dev.chl.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.testing.Await;
import dev.chl.testing.ConsoleClient;
import dev.chl.testing.Fixtures;
import dev.chl.testing.Http;
import dev.chl.testing.ServerExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * Console form actions only run for a request that carries its session's CSRF token and comes from the console's own
 * origin: every forgery below is a 403 that changes nothing (checked through the JSON API and the audit log), and the
 * same request sent the way the console's own page sends it succeeds.
 */
class ConsoleCsrfTest {
    private static final Map<String, String> THRESHOLDS = Map.of("too_close_threshold", "0.9", "related_threshold", "0.5");

    @RegisterExtension
    static final ServerExtension server = ServerExtension.perClass();
    private static String category;
    private ConsoleClient browser;

    /** The ways a request from another site (or a stale page) differs from the console's own. */
    enum Forgery {
        NO_TOKEN, ANOTHER_SESSIONS_TOKEN, GARBLED_TOKEN, FOREIGN_ORIGIN, NULL_ORIGIN, CROSS_SITE_FETCH, SAME_SITE_FETCH, NO_SESSION_COOKIE
    }

    @BeforeAll
    static void library() {
        category = Fixtures.newCategory(server.http());
        server.api().awaitQueueEmpty();
    }

    @BeforeEach
    void openTheConsole() {
        browser = server.console();
        assertThat(browser.page("/workers").status()).isEqualTo(200);
        assertThat(browser.csrf()).isNotBlank();
    }

    @AfterEach
    void resumeWorkers() {
        server.api().workerControl("resume");
    }

    private Http.Response forge(Forgery forgery, String path, Map<String, String> form) {
        Map<String, String> headers = browser.formHeaders();
        ConsoleClient sender = browser;
        switch (forgery) {
            case NO_TOKEN -> headers.remove("X-CSRF-Token");
            case ANOTHER_SESSIONS_TOKEN -> headers.put("X-CSRF-Token", anotherBrowsersToken());
            case GARBLED_TOKEN -> headers.put("X-CSRF-Token", browser.csrf().substring(1) + "x");
            case FOREIGN_ORIGIN -> headers.put("Origin", "http://evil.example");
            case NULL_ORIGIN -> headers.put("Origin", "null");
            case CROSS_SITE_FETCH -> headers.put("Sec-Fetch-Site", "cross-site");
            case SAME_SITE_FETCH -> headers.put("Sec-Fetch-Site", "same-site");
            case NO_SESSION_COOKIE -> sender = server.console();
        }
        return sender.post(path, form, headers);
    }

    private static String anotherBrowsersToken() {
        ConsoleClient other = server.console();
        other.page("/workers");
        return other.csrf();
    }

    private static void assertRefused(Http.Response r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(403);
        assertThat(r.isProblem()).as(r.toString()).isTrue();
    }

    private static List<String> workerStatuses() {
        return server.api().workers().path("workers").valueStream().map(w -> w.path("status").asString()).toList();
    }

    /** A worker in the middle of a batch finishes it before it shows as paused. */
    private static void awaitAllPaused() {
        Await.until("every worker paused", Duration.ofSeconds(30), ConsoleCsrfTest::workerStatuses,
                statuses -> !statuses.isEmpty() && statuses.stream().allMatch("paused"::equals));
    }

    private static JsonNode searchSettings() {
        return server.http().get("/api/v1/settings").json().path("search");
    }

    private static int consoleAuditRows() {
        return server.http().get("/api/v1/audit?actor=console&limit=200").json().path("items").size();
    }

    @ParameterizedTest
    @EnumSource(Forgery.class)
    void aForgedWorkerPauseIsRefusedAndPausesNothing(Forgery forgery) {
        int audited = consoleAuditRows();

        assertRefused(forge(forgery, "/ui/workers/pause", Map.of()));

        assertThat(workerStatuses()).isNotEmpty().doesNotContain("paused");
        assertThat(consoleAuditRows()).isEqualTo(audited);
    }

    @ParameterizedTest
    @EnumSource(Forgery.class)
    void aForgedDeleteIsRefusedAndTheEntryStays(Forgery forgery) {
        String id = Fixtures.createExperience(server.http(), category, "Kept despite a forged delete " + forgery).path("id").asString();
        int audited = consoleAuditRows();

        assertRefused(forge(forgery, "/ui/entries/" + id + "/delete", Map.of()));

        assertThat(server.http().get("/api/v1/experiences/" + id).status()).isEqualTo(200);
        assertThat(consoleAuditRows()).isEqualTo(audited);
    }

    @ParameterizedTest
    @EnumSource(Forgery.class)
    void aForgedSettingsChangeIsRefusedAndChangesNothing(Forgery forgery) {
        JsonNode before = searchSettings();

        assertRefused(forge(forgery, "/ui/settings/search", Map.of("too_close_threshold", "0.99", "related_threshold", "0.01")));

        assertThat(searchSettings()).isEqualTo(before);
    }

    @Test
    void theConsolesOwnRequestsSucceed() {
        Http.Response pause = browser.post("/ui/workers/pause", Map.of());
        assertThat(pause.status()).as(pause.toString()).isEqualTo(200);
        awaitAllPaused();

        String id = Fixtures.createExperience(server.http(), category, "Deleted by the console").path("id").asString();
        Http.Response delete = browser.post("/ui/entries/" + id + "/delete", Map.of());
        assertThat(delete.status()).as(delete.toString()).isEqualTo(200);
        assertThat(server.http().get("/api/v1/experiences/" + id).status()).isEqualTo(404);

        Http.Response settings = browser.post("/ui/settings/search", THRESHOLDS);
        assertThat(settings.status()).as(settings.toString()).isEqualTo(200);
        assertThat(searchSettings().path("too_close_threshold").asDouble()).isEqualTo(0.9);
        assertThat(searchSettings().path("related_threshold").asDouble()).isEqualTo(0.5);
    }

    @Test
    void aPlainFormPostCarriesTheTokenAsAField() {
        Http.Response r = browser.post("/ui/workers/pause", Map.of("_csrf", browser.csrf()), browser.plainFormHeaders());

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        awaitAllPaused();
    }

    @Test
    void aSameOriginRequestWithoutOriginHeaderStillNeedsTheToken() {
        Map<String, String> headers = browser.formHeaders();
        headers.remove("Origin");

        assertThat(browser.post("/ui/workers/pause", Map.of(), headers).status()).isEqualTo(200);
        awaitAllPaused();
        headers.remove("X-CSRF-Token");
        assertRefused(browser.post("/ui/workers/resume", Map.of(), headers));
        assertThat(workerStatuses()).containsOnly("paused");
    }
}
