package dev.chl.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.testing.ConsoleClient;
import dev.chl.testing.Fixtures;
import dev.chl.testing.Http;
import dev.chl.testing.ServerExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every console page answers with a Content-Security-Policy that allows no inline script or eval and no framing, with
 * nosniff and X-Frame-Options, and an HttpOnly SameSite=Strict session cookie. The markup itself keeps to that policy:
 * no inline script, style or event-handler attribute (the browser would block them), and every script and stylesheet
 * it links answers 200 with a type the browser accepts under nosniff.
 */
class ConsoleSecurityHeadersTest {
    @RegisterExtension
    static final ServerExtension server = ServerExtension.perClass();
    @RegisterExtension
    static final ServerExtension tokenServer = ServerExtension.withToken("console-headers-token-0123456789");
    private static String entryId;

    @BeforeAll
    static void entry() {
        Http http = server.http();
        entryId = Fixtures.createExperience(http, Fixtures.newCategory(http), "Header test entry").path("id").asString();
    }

    /** A browser that has skipped the setup wizard, so {@code /} shows the overview. */
    private static ConsoleClient browser() {
        ConsoleClient browser = server.console();
        browser.page("/setup");
        assertThat(browser.post("/ui/setup/skip", Map.of()).status()).isEqualTo(200);
        return browser;
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/setup", "/entries", "/entries?kind=manual", "/entries/new", "/operations", "/workers",
            "/index", "/settings"})
    void pagesSendTheSecurityHeadersAndKeepToTheirPolicy(String path) {
        ConsoleClient browser = browser();
        Http.Response page = browser.page(path);

        assertThat(page.status()).as("%s: %s", path, page).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        assertSecurityHeaders(page);
        assertKeepsToThePolicy(browser, page);
    }

    @Test
    void entryPagesKeepToThePolicy() {
        ConsoleClient browser = browser();
        for (String path : List.of("/entries/" + entryId, "/entries/" + entryId + "/edit")) {
            Http.Response page = browser.page(path);
            assertThat(page.status()).as("%s: %s", path, page).isEqualTo(200);
            assertSecurityHeaders(page);
            assertKeepsToThePolicy(browser, page);
        }
    }

    @Test
    void theErrorPageKeepsToThePolicy() {
        ConsoleClient browser = browser();
        Http.Response page = browser.page("/entries/EXP-NOPE-20260101-000000000");

        assertThat(page.status()).isEqualTo(404);
        assertSecurityHeaders(page);
        assertKeepsToThePolicy(browser, page);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/ui/overview/live", "/ui/workers/panel", "/ui/operations/cards", "/ui/operations/history",
            "/ui/index/panel", "/ui/audit", "/ui/entries/list?kind=experience"})
    void fragmentsCarryNoInlineScriptOrStyleEither(String path) {
        Http.Response fragment = browser().fragment(path);

        assertThat(fragment.status()).as("%s: %s", path, fragment).isEqualTo(200);
        assertSecurityHeaders(fragment);
        assertThat(policyViolations(Jsoup.parseBodyFragment(fragment.body()))).as(path).isEmpty();
    }

    @Test
    void theFirstPageLoadSetsAnHttpOnlyStrictSessionCookie() {
        Http.Response page = server.console().page("/settings");

        assertSessionCookie(page);
    }

    @Test
    void theLoginPageSendsTheSecurityHeadersAndKeepsToThePolicy() {
        ConsoleClient browser = tokenServer.console();
        Http.Response login = browser.page("/login");

        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        assertSecurityHeaders(login);
        assertSessionCookie(login);
        assertKeepsToThePolicy(browser, login);
    }

    @Test
    void aRedirectToLoginCarriesTheHeadersToo() {
        Http.Response redirect = tokenServer.console().page("/workers");

        assertThat(redirect.status()).isEqualTo(303);
        assertSecurityHeaders(redirect);
    }

    static void assertSecurityHeaders(Http.Response r) {
        String csp = r.header("Content-Security-Policy");
        assertThat(csp).as("CSP of %s", r.raw().uri()).isNotNull()
                .doesNotContain("'unsafe-inline'").doesNotContain("'unsafe-eval'").contains("frame-ancestors 'none'");
        assertThat(directive(csp, "script-src")).as("script-src").isEqualTo("'self'");
        assertThat(directive(csp, "default-src")).as("default-src").isEqualTo("'none'");
        assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(r.header("X-Frame-Options")).isEqualTo("DENY");
    }

    private static String directive(String csp, String name) {
        for (String part : csp.split(";")) {
            String d = part.strip();
            if (d.startsWith(name + " ")) {
                return d.substring(name.length() + 1).strip();
            }
        }
        return null;
    }

    private static void assertSessionCookie(Http.Response r) {
        List<String> cookies = r.raw().headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith(ConsoleClient.SESSION_COOKIE + "=")).toList();
        assertThat(cookies).as("Set-Cookie of %s", r.raw().uri()).hasSize(1);
        String cookie = cookies.getFirst().toLowerCase(java.util.Locale.ROOT);
        assertThat(cookie).contains("; httponly").contains("; samesite=strict").contains("; path=/");
    }

    /** Inline code or style, and every linked script and stylesheet answering 200 with the right type. */
    private static void assertKeepsToThePolicy(ConsoleClient browser, Http.Response page) {
        Document doc = Jsoup.parse(page.body());
        assertThat(policyViolations(doc)).as("inline code or style in %s", page.raw().uri()).isEmpty();
        org.jsoup.select.Elements scripts = doc.select("script[src]");
        assertThat(scripts.eachAttr("src")).as("scripts of %s: htmx and its SSE extension from WebJars", page.raw().uri())
                .anyMatch(src -> src.startsWith("/webjars/htmx.org/")).anyMatch(src -> src.startsWith("/webjars/htmx-ext-sse/"));
        for (Element script : scripts) {
            assertAsset(browser, script.attr("src"), "javascript");
        }
        for (Element link : doc.select("link[href]")) {
            String href = link.attr("href");
            if (href.startsWith("data:")) {
                continue;
            }
            assertAsset(browser, href, link.attr("rel").equals("stylesheet") ? "text/css" : "");
        }
    }

    private static void assertAsset(ConsoleClient browser, String href, String contentType) {
        assertThat(href).as("assets come from this server").startsWith("/").doesNotStartWith("//");
        Http.Response asset = browser.get(href, Map.of());
        assertThat(asset.status()).as("GET %s", href).isEqualTo(200);
        assertThat(asset.contentType()).as("type of %s", href).contains(contentType);
        assertThat(asset.body()).as(href).isNotBlank();
    }

    /** What a CSP without 'unsafe-inline' and 'unsafe-eval' would block in this markup. */
    static List<String> policyViolations(Document doc) {
        List<String> found = new ArrayList<>();
        doc.select("script:not([src])").forEach(s -> found.add("inline <script>: " + s.outerHtml()));
        doc.select("style").forEach(s -> found.add("<style> element: " + s.outerHtml()));
        for (Element e : doc.getAllElements()) {
            for (Attribute a : e.attributes()) {
                String key = a.getKey().toLowerCase(java.util.Locale.ROOT);
                if (key.equals("style") || key.startsWith("on") || key.startsWith("hx-on")
                        || a.getValue().strip().toLowerCase(java.util.Locale.ROOT).startsWith("javascript:")) {
                    found.add(key + "=\"" + a.getValue() + "\" on <" + e.tagName() + ">");
                }
            }
        }
        return found;
    }
}
