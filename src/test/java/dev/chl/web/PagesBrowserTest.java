package dev.chl.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.testing.Browser;
import dev.chl.testing.Fixtures;
import dev.chl.testing.Http;
import dev.chl.testing.ServerExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every console page at a desktop (1280 px) and a phone (390 px) width: it renders, nothing overflows sideways, the
 * page logs no script error or CSP violation, and a screenshot is saved in target/screenshots to look at.
 */
class PagesBrowserTest {
    /** Names the elements that stick out past the right edge, to say what to fix when a page overflows. */
    private static final String WIDER_THAN_PAGE = """
            const width = document.documentElement.clientWidth;
            return [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > width + 1)
                .slice(0, 8).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + e.className : '')
                + ' (right edge ' + Math.round(e.getBoundingClientRect().right) + ')').join(', ');""";

    @RegisterExtension
    static final ServerExtension server = ServerExtension.perClass();
    private static Browser browser;
    private static String entryId;

    @BeforeAll
    static void libraryAndBrowser() {
        Http http = server.http();
        String category = Fixtures.newCategory(http);
        // Long unbroken words (URLs, a pasted token) must wrap inside their box on every page that shows them.
        String url = "https://wiki.example.com/engineering/operations/runbooks/database-failover-procedure-v2/section-3";
        Map<String, Object> longWords = new java.util.HashMap<>(Fixtures.experience(category, "Measure first: " + url));
        longWords.put("playbook", "Follow " + url + "/step-by-step?tab=details&version=latest&" + "x".repeat(300) + " before promoting.");
        entryId = Fixtures.create(http, "experiences", longWords).path("id").asString();
        Fixtures.createExperience(http, category, "Name the failure mode before the fix");
        http.post("/api/v1/operations/backup", Map.of());
        browser = Browser.open();
        browser.go(server.baseUrl() + "/");
        browser.click("form[hx-post='/ui/setup/skip'] button"); // files only: the overview instead of the wizard
        browser.text("main h1", "Overview");
    }

    @AfterAll
    static void closeBrowser() {
        browser.close();
    }

    static List<String> pages() {
        return List.of("/", "/setup", "/entries", "/entries?q=measure+first", "/entries/new?kind=experience", "/entries/{entry}",
                "/entries/{entry}/edit", "/operations", "/workers", "/index", "/settings");
    }

    @ParameterizedTest
    @MethodSource("pages")
    void rendersCleanlyAtDesktopAndPhoneWidths(String page) {
        String path = page.replace("{entry}", entryId);
        for (int width : new int[] {1280, 390}) {
            browser.resize(width, 900);
            browser.go(server.baseUrl() + path);
            browser.visible("main h1");
            Number overflow = (Number) browser.script("return document.documentElement.scrollWidth - document.documentElement.clientWidth");
            assertThat(overflow.intValue()).as("%s at %d px scrolls sideways because of %s", path, width, browser.script(WIDER_THAN_PAGE))
                    .isLessThanOrEqualTo(0);
            String name = (page.equals("/") ? "overview" : page.substring(1).replaceAll("[^a-z]+", "-").replaceAll("-+$", ""))
                    + "-" + width;
            browser.screenshot("page-" + name);
        }
        assertThat(browser.scriptProblems()).as("script errors or CSP violations on %s", path).isEmpty();
    }
}
