package dev.chl.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.testing.Fixtures;
import dev.chl.testing.Http;
import dev.chl.testing.ServerExtension;
import dev.chl.testing.Sqlite;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** With CHL_API_TOKEN set, every /api and /mcp request needs it as a bearer token; /health stays open. */
class TokenGuardTest {
    private static final String TOKEN = "s3cret-token-0123456789";

    @RegisterExtension
    static final ServerExtension server = ServerExtension.withToken(TOKEN);
    private static Http withToken;
    private static Http anonymous;

    @BeforeAll
    static void clients() {
        withToken = server.http();
        anonymous = withToken.withToken(null);
    }

    private static final String MISSING = "needs its access token: send the header Authorization: Bearer";
    private static final String WRONG = "the access token sent is not this server's";

    private static void assertUnauthorized(Http.Response r) {
        assertUnauthorized(r, MISSING);
    }

    private static void assertUnauthorized(Http.Response r, String says) {
        assertThat(r.status()).as(r.toString()).isEqualTo(401);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().path("status").asInt()).isEqualTo(401);
        assertThat(r.json().path("detail").asString()).contains(says);
        assertThat(r.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(r.body()).doesNotContain(TOKEN);
    }

    @Test
    void withoutAuthorizationTheApiAnswers401Problem() {
        assertUnauthorized(anonymous.get("/api/v1/categories"));
        assertUnauthorized(anonymous.get("/api/v1/audit"));
        assertUnauthorized(anonymous.get("/api/v1/audit/export?format=csv"));
        assertUnauthorized(anonymous.get("/api/v1/settings"));
        assertUnauthorized(anonymous.get("/api/v1/no-such-route"));
        assertUnauthorized(anonymous.get("/mcp"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer wrong-token-0123456789", "Bearer s3cret-token-012345678", "Bearer s3cret-token-01234567890",
            "Bearer ", "Basic czNjcmV0LXRva2VuLTAxMjM0NTY3ODk=", "s3cret-token-0123456789", "Bearer S3CRET-TOKEN-0123456789"})
    void aWrongAuthorizationAnswers401(String header) {
        // Anything sent in the header is a wrong token; only a header left out is a missing one.
        assertUnauthorized(anonymous.get("/api/v1/categories", Map.of("Authorization", header)), header.isBlank() ? MISSING : WRONG);
    }

    @Test
    void aWrongTokenIsToldApartFromAMissingOne() {
        assertThat(anonymous.get("/api/v1/categories").json().path("detail").asString()).contains("needs its access token");
        assertThat(anonymous.get("/api/v1/categories", Map.of("Authorization", "Bearer wrong-token-0123456789")).json()
                .path("detail").asString()).contains("not this server's");
    }

    @Test
    void theRightBearerTokenIsAccepted() {
        var r = withToken.get("/api/v1/categories");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("categories").size()).isGreaterThanOrEqualTo(10);
        assertThat(anonymous.get("/api/v1/categories", Map.of("Authorization", "bearer " + TOKEN)).status())
                .as("the scheme is case-insensitive").isEqualTo(200);
    }

    @Test
    void theTokenIsComparedExactlyEvenOnAKeptAliveConnection() throws Exception {
        // One HTTP/1.1 connection for all four requests: a server-side header cache must not make a case variant of
        // the token pass after the real one, nor the real one fail after a case variant.
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<Integer> statuses = new ArrayList<>();
        for (String token : List.of(TOKEN, TOKEN.toUpperCase(Locale.ROOT), TOKEN.toUpperCase(Locale.ROOT), TOKEN)) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/v1/categories"))
                    .header("Authorization", "Bearer " + token).GET().build();
            statuses.add(client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode());
        }
        assertThat(statuses).containsExactly(200, 401, 401, 200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/./mcp", "/x/../mcp", "//mcp", "/./api/v1/categories", "/api/./v1/categories"})
    void dotSegmentsDoNotSkipTheToken(String target) {
        // Jetty routes "/./mcp" to the MCP servlet; the guard once read the raw path and let it through without a token.
        Http.RawResponse r = anonymous.rawGet(target);
        assertThat(r.status()).as(r.toString()).isIn(401, 404);
        assertThat(r.body()).doesNotContain("\"categories\"");
        if (target.endsWith("mcp")) {
            assertThat(r.status()).as(r.toString()).isEqualTo(401);
        }
    }

    @Test
    void pathsAreNormalizedLikeARouterWould() {
        assertThat(RequestChecks.normalized("/./mcp")).isEqualTo("/mcp");
        assertThat(RequestChecks.normalized("/a/../api/v1")).isEqualTo("/api/v1");
        assertThat(RequestChecks.normalized("//api//v1")).isEqualTo("/api/v1");
        assertThat(RequestChecks.normalized("/bad path")).isNull();
    }

    @Test
    void healthNeedsNoToken() {
        var r = anonymous.get("/health");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("status").asString()).isEqualTo("ok");
    }

    @Test
    void anUnauthorizedWriteStoresNothing() {
        Sqlite db = server.db();
        long audits = db.count("SELECT count(*) FROM audit_log WHERE source <> 'system'");
        String code = Fixtures.uniqueCode();
        assertUnauthorized(anonymous.post("/api/v1/categories", Map.of("code", code, "name", "sneaky")));
        assertUnauthorized(anonymous.raw("POST", "/api/v1/experiences", "text/plain", "x"));
        assertThat(db.count("SELECT count(*) FROM categories WHERE code = ?", code)).isZero();
        assertThat(db.count("SELECT count(*) FROM audit_log WHERE source <> 'system'")).isEqualTo(audits);
        assertThat(withToken.post("/api/v1/categories", Map.of("code", code, "name", "legit")).status()).isEqualTo(201);
    }

    @Test
    void acceptsComparesTheWholeToken() {
        TokenGuard guard = new TokenGuard(TOKEN);
        assertThat(guard.enabled()).isTrue();
        assertThat(guard.accepts("Bearer " + TOKEN)).isTrue();
        assertThat(guard.accepts("BEARER  " + TOKEN + " ")).isTrue();
        assertThat(guard.accepts(null)).isFalse();
        assertThat(guard.accepts("Bearer")).isFalse();
        assertThat(guard.accepts("Bearer " + TOKEN.substring(1))).isFalse();
        assertThat(guard.accepts("Bearer " + TOKEN + "x")).isFalse();
        assertThat(new TokenGuard(null).enabled()).isFalse();
        assertThat(new TokenGuard(null).accepts(null)).isTrue();
    }

    @Test
    void prometheusScrapesMetricsWithTheBearerToken() {
        Http.Response scrape = withToken.get("/metrics");
        assertThat(scrape.status()).as(scrape.toString()).isEqualTo(200);
        assertThat(scrape.body()).contains("# TYPE");
        assertUnauthorized(anonymous.get("/metrics"));
    }

    @Test
    void protectsApiAndMcpPathsOnly() {
        assertThat(TokenGuard.protects("/metrics")).isTrue();
        assertThat(TokenGuard.protects("/api/v1/categories")).isTrue();
        assertThat(TokenGuard.protects("/api")).isTrue();
        assertThat(TokenGuard.protects("/mcp")).isTrue();
        assertThat(TokenGuard.protects("/mcp/session")).isTrue();
        assertThat(TokenGuard.protects("/health")).isFalse();
        assertThat(TokenGuard.protects("/apiary")).isFalse();
        assertThat(TokenGuard.protects("/")).isFalse();
    }
}
