package dev.chl.mcp;

import static dev.chl.mcp.McpTesting.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.chl.testing.Fixtures;
import dev.chl.testing.Http;
import dev.chl.testing.TestServer;
import io.modelcontextprotocol.client.McpSyncClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/** With an access token configured, /mcp answers only requests that carry it, like /api. */
class McpTokenTest {
    private static final String TOKEN = "0123456789abcdef-token";
    private static final String INITIALIZE = """
            {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},
            "clientInfo":{"name":"raw","version":"1"}}}""";
    private static final Map<String, String> MCP_HEADERS = Map.of("Content-Type", "application/json",
            "Accept", "application/json, text/event-stream");
    private static TestServer server;
    private static Http anonymous;

    @BeforeAll
    static void start() {
        server = TestServer.startWithToken(TOKEN);
        anonymous = new Http(server.baseUrl(), null);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void assertUnauthorized(Http.Response r) {
        assertUnauthorized(r, "needs its access token: send the header Authorization: Bearer");
    }

    private static void assertUnauthorized(Http.Response r, String says) {
        assertThat(r.status()).as("%s", r).isEqualTo(401);
        assertThat(r.isProblem()).as("problem+json: %s", r).isTrue();
        assertThat(r.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(r.json().path("detail").asString()).contains(says);
        assertThat(r.body()).doesNotContain(TOKEN);
    }

    @Test
    void postWithoutAuthorizationIs401() {
        assertUnauthorized(anonymous.send("POST", "/mcp", MCP_HEADERS, INITIALIZE));
    }

    @Test
    void aWrongOrMalformedTokenIs401OnEveryVerb() {
        Http wrong = anonymous.withToken("0123456789abcdef-wrong");
        assertUnauthorized(wrong.send("POST", "/mcp", MCP_HEADERS, INITIALIZE), "not this server's");
        assertUnauthorized(anonymous.send("POST", "/mcp", Map.of("Content-Type", "application/json",
                "Accept", "application/json, text/event-stream", "Authorization", TOKEN), INITIALIZE), "not this server's");
        assertUnauthorized(anonymous.send("GET", "/mcp", Map.of("Accept", "text/event-stream"), null));
        assertUnauthorized(anonymous.send("DELETE", "/mcp", Map.of(), null));
    }

    @Test
    void theRightTokenLetsTheSameRequestThrough() {
        Http.Response r = server.http().send("POST", "/mcp", MCP_HEADERS, INITIALIZE);
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.body()).contains("\"serverInfo\"", "\"chl\"");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theSdkClientWithTheHeaderWorks() {
        String code = Fixtures.newCategory(server.http());
        McpSyncClient client = McpTesting.http(server.baseUrl(), "token-holder", TOKEN);
        try {
            assertThat(client.listTools().tools()).hasSize(6);
            assertThat(ok(client, "list_categories", Map.of()).path("categories").toString()).contains(code);
            JsonNode entry = ok(client, "create_entry", Map.of("entity_type", "experience", "category_code", code,
                    "data", Map.of("section", "useful", "title", "Send the token", "playbook", "Every MCP request carries it."))).path("entry");
            JsonNode stored = server.http().get("/api/v1/experiences/" + entry.path("id").asString()).json();
            assertThat(stored.path("author").asString()).isEqualTo("token-holder");
            JsonNode audit = server.http().get("/api/v1/audit?actor=token-holder").json().path("items").path(0);
            assertThat(audit.path("source").asString()).isEqualTo("mcp");
        } finally {
            client.closeGracefully();
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theSdkClientWithoutTheHeaderIsRefused() {
        McpSyncClient client = McpTesting.client(
                io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport.builder(server.baseUrl()).endpoint("/mcp").build(),
                "no-token", Duration.ofSeconds(20));
        try {
            Throwable thrown = catchThrowable(client::initialize);
            assertThat(thrown).as("initialize without the token").isNotNull();
            assertThat(client.isInitialized()).isFalse();
        } finally {
            client.close();
        }
    }
}
