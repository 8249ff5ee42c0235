package dev.chl.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.testing.ConsoleClient;
import dev.chl.testing.Http;
import dev.chl.testing.ServerExtension;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Guessing the access token: after {@link FailedAttempts#LIMIT} wrong bearer tokens from one address within a minute,
 * that address is refused with 429 (saying how long to wait) on the API, on /mcp and at the console's login — even
 * with the right token, so a guesser cannot tell when it found it. Its own server: the block would spill into other
 * tests sharing one.
 */
class WrongTokenLimitTest {
    private static final String TOKEN = "limit-token-0123456789";

    @RegisterExtension
    static final ServerExtension server = ServerExtension.withToken(TOKEN);

    @Test
    void tooManyWrongTokensFromOneAddressAreRefusedEverywhereForTheRestOfTheMinute() {
        Http guesser = server.http().withToken(null);
        assertThat(guesser.get("/api/v1/categories", Map.of("Authorization", "Basic not-a-guess")).status())
                .as("no bearer token at all is refused but not counted").isEqualTo(401);
        for (int i = 0; i < FailedAttempts.LIMIT; i++) {
            assertThat(guesser.get("/api/v1/categories", Map.of("Authorization", "Bearer guess-" + i)).status()).isEqualTo(401);
        }

        Http.Response api = server.http().get("/api/v1/categories");
        assertThat(api.status()).as("%s", api).isEqualTo(429);
        assertThat(api.contentType()).startsWith("application/problem+json");
        assertThat(api.json().path("detail").asString()).contains("wrong access tokens", "wait", "CHL_API_TOKEN");
        assertThat(Long.parseLong(api.header("Retry-After"))).isBetween(1L, 60L);

        Http.Response mcp = server.http().send("POST", "/mcp", Map.of("Content-Type", "application/json",
                "Accept", "application/json, text/event-stream"), "{}");
        assertThat(mcp.status()).as("%s", mcp).isEqualTo(429);
        assertThat(mcp.json().path("detail").asString()).contains("wrong access tokens");

        ConsoleClient browser = server.console();
        browser.page("/login");
        Map<String, String> form = new LinkedHashMap<>();
        form.put("_csrf", browser.csrf());
        form.put("next", "/");
        form.put("token", TOKEN);
        Http.Response login = browser.post("/login", form, browser.plainFormHeaders());
        assertThat(login.status()).as("%s", login).isEqualTo(429);
        assertThat(login.body()).contains("Too many wrong tokens");

        assertThat(server.http().get("/health").status()).as("health stays open").isEqualTo(200);
    }
}
