package dev.chl.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.testing.ConsoleClient;
import dev.chl.testing.Http;
import dev.chl.testing.ServerExtension;
import dev.chl.testing.TestServer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * With an access token configured the console asks for it once: pages send the browser to {@code /login} (and back to
 * where it was going afterwards, but never to another site), htmx requests are told to go there, a wrong token logs
 * nobody in, the right one starts a fresh session (the pre-login id is worthless), and logging out ends it.
 */
class ConsoleLoginTest {
    private static final String TOKEN = "console-login-token-0123456789";

    @RegisterExtension
    static final ServerExtension server = ServerExtension.withToken(TOKEN);

    /** Posts the login form as a browser does: a plain form post from the login page, the token in its _csrf field. */
    private static Http.Response submitLogin(ConsoleClient browser, String token, String next) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("_csrf", browser.csrf());
        form.put("next", next);
        form.put("token", token);
        return browser.post("/login", form, browser.plainFormHeaders());
    }

    private static ConsoleClient loggedIn() {
        ConsoleClient browser = server.console();
        browser.page("/login");
        assertThat(submitLogin(browser, TOKEN, "/").status()).isEqualTo(303);
        return browser;
    }

    private static void assertSentToLogin(Http.Response r, String next) {
        assertThat(r.status()).as(r.toString()).isEqualTo(303);
        assertThat(r.header("Location")).isEqualTo("/login?next=" + next);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/setup", "/entries", "/operations", "/workers", "/index", "/settings"})
    void pagesSendTheBrowserToLogin(String path) {
        assertSentToLogin(server.console().page(path), java.net.URLEncoder.encode(path, java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void theNextParameterKeepsTheQuery() {
        assertSentToLogin(server.console().page("/entries?kind=manual"), "%2Fentries%3Fkind%3Dmanual");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/ui/workers/panel", "/ui/overview/live", "/ui/events", "/workers"})
    void htmxRequestsAreToldToLogIn(String path) {
        Http.Response r = server.console().fragment(path);

        assertThat(r.status()).as(r.toString()).isEqualTo(401);
        assertThat(r.header("HX-Redirect")).isEqualTo("/login");
    }

    @Test
    void aFormActionBeforeLoginIsRefusedEvenWithAValidCsrfToken() {
        ConsoleClient browser = server.console();
        browser.page("/login");

        Http.Response r = browser.post("/ui/workers/pause", Map.of());

        assertThat(r.status()).as(r.toString()).isEqualTo(401);
        assertThat(r.header("HX-Redirect")).isEqualTo("/login");
        assertThat(server.http().get("/api/v1/workers").json().path("workers").toString()).doesNotContain("\"paused\"");
    }

    @Test
    void aWrongTokenShowsTheFormAgainAndLogsNobodyIn() {
        ConsoleClient browser = server.console();
        browser.page("/login?next=%2Fworkers");
        String session = browser.cookie(ConsoleClient.SESSION_COOKIE);

        Http.Response r = submitLogin(browser, "not-the-token-0123456789", "/workers");

        assertThat(r.status()).as(r.toString()).isEqualTo(401);
        assertThat(r.contentType()).startsWith("text/html");
        var doc = Jsoup.parse(r.body());
        assertThat(doc.select("form[action=/login] input[name=token]")).hasSize(1);
        assertThat(doc.select("#token-error").text()).contains("not this server's access token");
        assertThat(doc.select("input[name=next]").attr("value")).isEqualTo("/workers");
        assertThat(browser.cookie(ConsoleClient.SESSION_COOKIE)).isEqualTo(session);
        assertSentToLogin(browser.page("/workers"), "%2Fworkers");
    }

    @Test
    void theRightTokenStartsANewSessionAndGoesOn() {
        ConsoleClient browser = server.console();
        browser.page("/login?next=%2Fentries%3Fkind%3Dmanual");
        String before = browser.cookie(ConsoleClient.SESSION_COOKIE);

        Http.Response r = submitLogin(browser, TOKEN, "/entries?kind=manual");

        assertThat(r.status()).as(r.toString()).isEqualTo(303);
        assertThat(r.header("Location")).isEqualTo("/entries?kind=manual");
        String after = browser.cookie(ConsoleClient.SESSION_COOKIE);
        assertThat(after).isNotBlank().isNotEqualTo(before);
        assertThat(r.header("Set-Cookie")).containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Strict");
        assertThat(browser.page("/entries?kind=manual").status()).isEqualTo(200);
        assertThat(browser.fragment("/ui/workers/panel").status()).isEqualTo(200);
        assertSentToLogin(pageWithSession(before, "/workers"), "%2Fworkers");
    }

    /** A page load by a browser presenting a session id it learnt elsewhere (a fixated or stolen cookie). */
    private static Http.Response pageWithSession(String sessionId, String path) {
        return server.console().get(path, Map.of("Accept", "text/html", "Cookie", ConsoleClient.SESSION_COOKIE + "=" + sessionId));
    }

    @ParameterizedTest
    @ValueSource(strings = {"//evil.example", "http://evil.example", "https://evil.example/login", "/\\evil.example",
            "\\\\evil.example", "/\t/evil.example", "/\n/evil.example", "javascript:alert(1)", "evil.example", "/login?next=//evil.example"})
    void nextNeverLeavesTheServer(String next) {
        ConsoleClient browser = server.console();
        browser.page("/login");

        Http.Response r = submitLogin(browser, TOKEN, next);

        assertThat(r.status()).as(r.toString()).isEqualTo(303);
        assertThat(r.header("Location")).isEqualTo("/");
        assertThat(browser.page("/login?next=" + java.net.URLEncoder.encode(next, java.nio.charset.StandardCharsets.UTF_8))
                .header("Location")).as("an already logged-in browser at /login").isEqualTo("/");
    }

    @Test
    void logoutEndsTheSession() {
        ConsoleClient browser = loggedIn();
        browser.page("/workers");
        String session = browser.cookie(ConsoleClient.SESSION_COOKIE);

        Http.Response r = browser.post("/ui/logout", Map.of("_csrf", browser.csrf()), browser.plainFormHeaders());

        assertThat(r.status()).as(r.toString()).isEqualTo(303);
        assertThat(r.header("Location")).isEqualTo("/login");
        assertThat(browser.cookie(ConsoleClient.SESSION_COOKIE)).isNull();
        assertSentToLogin(browser.page("/workers"), "%2Fworkers");
        assertSentToLogin(pageWithSession(session, "/workers"), "%2Fworkers");
    }

    @Test
    void theLoginFormNeedsItsCsrfTokenToo() {
        ConsoleClient browser = server.console();
        browser.page("/login");
        Map<String, String> form = Map.of("token", TOKEN, "next", "/");

        Http.Response r = browser.post("/login", form, browser.plainFormHeaders());

        assertThat(r.status()).as(r.toString()).isEqualTo(403);
        assertSentToLogin(browser.page("/workers"), "%2Fworkers");
    }

    @Test
    void withoutATokenLoginJustGoesHome() {
        try (TestServer open = TestServer.start()) {
            ConsoleClient browser = ConsoleClient.of(open);
            Http.Response r = browser.page("/login");
            assertThat(r.status()).isEqualTo(303);
            assertThat(r.header("Location")).isEqualTo("/");
            assertThat(browser.page("/login?next=%2Fworkers").header("Location")).isEqualTo("/workers");
            assertThat(browser.page("/workers").status()).isEqualTo(200);
        }
    }
}
