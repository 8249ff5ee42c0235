package dev.chl.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.chl.testing.Await;
import dev.chl.testing.Browser;
import dev.chl.testing.Fixtures;
import dev.chl.testing.Http;
import dev.chl.testing.TestServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Cookie;

/** Cross-site request forgery and the login, in a real browser. */
class SecurityBrowserTest {

    @Test
    void aFormPostedFromAnotherSiteIsRefusedAndChangesNothing() throws Exception {
        try (TestServer server = TestServer.start(); Browser browser = Browser.open()) {
            Http http = server.http();
            String category = Fixtures.newCategory(http);
            String id = Fixtures.createExperience(http, category, "Keep the blast radius small").path("id").asString();
            browser.go(server.baseUrl() + "/entries/" + id); // the victim has the console open: a session cookie exists

            // The attacker's page, on another origin (localhost is another site than 127.0.0.1), posts to the console.
            HttpServer evil = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            String page = "<!DOCTYPE html><html><body><form id=f method=post action=\"" + server.baseUrl() + "/ui/entries/" + id
                    + "/delete\"><input name=_csrf value=guess></form><script>document.getElementById('f').submit()</script></body></html>";
            evil.createContext("/", exchange -> {
                byte[] body = page.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            evil.start();
            try {
                browser.go("http://localhost:" + evil.getAddress().getPort() + "/");
                Await.until("the forged post to be answered", Duration.ofSeconds(10),
                        () -> browser.driver().getCurrentUrl().contains("/ui/entries/"));
                assertThat(browser.bodyText()).containsAnyOf("Cross-site request refused", "Session expired");
                browser.screenshot("csrf-refused");
            } finally {
                evil.stop(0);
            }
            assertThat(http.get("/api/v1/experiences/" + id).status()).as("the entry survived").isEqualTo(200);
            assertThat(http.get("/api/v1/audit?action=entry.delete").json().path("items").size()).isZero();
        }
    }

    @Test
    void withAnAccessTokenTheConsoleAsksForItOnceAndKeepsAStrictHttpOnlySession() {
        try (TestServer server = TestServer.startWithToken("s3cret-token-for-the-console"); Browser browser = Browser.open()) {
            browser.go(server.baseUrl() + "/workers");
            assertThat(browser.path()).isEqualTo("/login");
            browser.screenshot("login");

            browser.type("#token", "wrong");
            browser.click("form[action='/login'] button[type=submit]");
            browser.text("#token-error", "not this server's access token");

            browser.type("#token", "s3cret-token-for-the-console");
            browser.click("form[action='/login'] button[type=submit]");
            browser.text("main h1", "Workers");
            assertThat(browser.path()).as("back where the user was going").isEqualTo("/workers");
            Cookie session = browser.driver().manage().getCookieNamed("chl_session");
            assertThat(session.isHttpOnly()).isTrue();
            assertThat(session.getSameSite()).isEqualTo("Strict");

            browser.go(server.baseUrl() + "/settings");
            browser.text("main h1", "Settings"); // asked once: the session carries on
            browser.click("form[action='/ui/logout'] button");
            browser.text("main h1", "Log in");
            assertThat(browser.path()).isEqualTo("/login");
            browser.go(server.baseUrl() + "/settings");
            assertThat(browser.path()).isEqualTo("/login");
        }
    }
}
