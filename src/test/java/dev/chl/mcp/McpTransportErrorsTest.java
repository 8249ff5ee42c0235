package dev.chl.mcp;

import static dev.chl.mcp.McpTesting.assertNoStackTrace;
import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.testing.Http;
import dev.chl.testing.ServerExtension;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * What a client that speaks the Streamable HTTP transport wrong gets back from /mcp: a JSON-RPC error object (code and
 * a message saying what to fix) or a plain HTTP error — never the SDK's exception serialized with its stack frames.
 */
class McpTransportErrorsTest {
    private static final String INITIALIZE = """
            {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},
            "clientInfo":{"name":"raw","version":"1"}}}""";
    private static final String LIST_TOOLS = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}";
    private static final Map<String, String> MCP_HEADERS = Map.of("Content-Type", "application/json",
            "Accept", "application/json, text/event-stream");
    @RegisterExtension
    static final ServerExtension server = ServerExtension.perClass();
    private static Http http;

    @BeforeAll
    static void client() {
        http = server.http();
    }

    private static Map<String, String> headers(String... more) {
        Map<String, String> all = new LinkedHashMap<>(MCP_HEADERS);
        for (int i = 0; i < more.length; i += 2) {
            all.put(more[i], more[i + 1]);
        }
        return all;
    }

    private static Http.Response post(Map<String, String> headers, String body) {
        return http.send("POST", "/mcp", headers, body);
    }

    /** A transport error of the SDK's: a JSON-RPC error object with its own code (which code is the SDK's choice). */
    private static JsonNode transportError(Http.Response r, int status, String... messageParts) {
        JsonNode body = jsonRpcError(r, status, null, messageParts);
        assertThat(body.path("id").isNull()).as("the transport did not read the id: %s", r).isTrue();
        return body;
    }

    /**
     * A JSON-RPC error response: {jsonrpc, id, error{code, message}} and nothing else, with no stack frames; the code
     * is {@code code}, or any of JSON-RPC's reserved error codes when null.
     */
    private static JsonNode jsonRpcError(Http.Response r, int status, Integer code, String... messageParts) {
        assertThat(r.status()).as("%s", r).isEqualTo(status);
        assertNoStackTrace(r.body());
        assertThat(r.body()).as("no serialized exception").doesNotContain("stackTrace", "jsonRpcError", "localizedMessage");
        JsonNode body = r.json();
        assertThat(body.path("jsonrpc").asString()).as("%s", r).isEqualTo("2.0");
        assertThat(body.has("id")).as("a JSON-RPC response names the request id (null when unknown): %s", r).isTrue();
        assertThat(body.path("error").path("code").isInt()).as("%s", r).isTrue();
        if (code != null) {
            assertThat(body.path("error").path("code").asInt()).as("%s", r).isEqualTo(code);
        } else {
            assertThat(body.path("error").path("code").asInt()).as("%s", r).isBetween(-32768, -32000);
        }
        assertThat(body.path("error").path("message").asString()).as("%s", r).contains(messageParts);
        assertThat(body.propertyNames()).containsOnly("jsonrpc", "id", "error");
        return body;
    }

    @Test
    void aResponseSentByTheClientIsAcceptedAndDropped() {
        Http.Response result = post(headers("Mcp-Session-Id", "any"), "{\"jsonrpc\":\"2.0\",\"id\":77,\"result\":{}}");
        assertThat(result.status()).as("%s", result).isEqualTo(202);
        assertThat(result.body()).isEmpty();
        Http.Response error = post(headers("Mcp-Session-Id", "any"), "{\"jsonrpc\":\"2.0\",\"id\":78,\"error\":{\"code\":-1,\"message\":\"x\"}}");
        assertThat(error.status()).as("%s", error).isEqualTo(202);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {
            "{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"ping\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"ping\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":{\"a\":1},\"method\":\"ping\"}",
            "{\"id\":4,\"method\":\"ping\"}",
            "{\"jsonrpc\":\"1.0\",\"id\":4,\"method\":\"ping\"}",
            "[{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}]",
            "\"ping\""})
    void aMessageOfTheWrongShapeIsAnInvalidRequestInPlainWords(String body) {
        JsonNode error = jsonRpcError(post(headers("Mcp-Session-Id", "any"), body), 400, -32600, "Invalid Request");
        assertThat(error.path("error").path("message").asString()).doesNotContain("jackson", "McpSchema", "Exception", "io.");
    }

    @Test
    void anUnknownLoggingLevelAndAResourceReadWithoutUriAreInvalidParams() {
        jsonRpcError(post(headers("Mcp-Session-Id", "any"), "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"logging/setLevel\","
                + "\"params\":{\"level\":\"loud\"}}"), 200, -32602, "level must be one of", "debug", "emergency");
        jsonRpcError(post(headers("Mcp-Session-Id", "any"), "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"resources/read\","
                + "\"params\":{}}"), 200, -32602, "params.uri is required");
    }

    @Test
    void anUnsupportedProtocolVersionHeaderIsABadRequestNamingTheSupportedOnes() {
        JsonNode error = jsonRpcError(post(headers("Mcp-Session-Id", "any", "MCP-Protocol-Version", "1999-01-01"), LIST_TOOLS),
                400, -32600, "1999-01-01", "2025-06-18");
        assertThat(error.path("id").asInt()).isEqualTo(2);
        for (String method : java.util.List.of("GET", "DELETE")) {
            Http.Response r = http.send(method, "/mcp", Map.of("Accept", "text/event-stream", "Mcp-Session-Id", "any",
                    "MCP-Protocol-Version", "1999-01-01"), null);
            jsonRpcError(r, 400, -32600, "1999-01-01");
        }
    }

    @Test
    void onlyTheTransportsMethodsAreServedAndTraceEchoesNothing() {
        for (String method : java.util.List.of("TRACE", "HEAD", "OPTIONS", "PUT", "PATCH")) {
            Http.Response r = http.send(method, "/mcp", Map.of("Authorization", "Bearer echo-me-not", "Cookie", "sid=echo-me-not"), null);
            assertThat(r.status()).as("%s %s", method, r).isEqualTo(405);
            assertThat(r.header("Allow")).isEqualTo("POST, GET, DELETE");
            assertThat(r.body()).doesNotContain("echo-me-not");
        }
    }

    @Test
    void aBodyThatIsNotJsonIsAJsonRpcErrorWithoutStackFrames() {
        transportError(post(MCP_HEADERS, "{nope"), 400, "Invalid message format");
    }

    @Test
    void aMissingAcceptHeaderSaysWhichTypesToAccept() {
        transportError(post(Map.of("Content-Type", "application/json"), INITIALIZE), 400,
                "text/event-stream", "application/json");
    }

    @Test
    void aTextPlainBodyIsUnsupportedMediaType() {
        transportError(post(headers("Content-Type", "text/plain"), INITIALIZE), 415, "application/json");
    }

    @Test
    void aMissingSessionIdIsRequired() {
        transportError(post(MCP_HEADERS, LIST_TOOLS), 400, "Session ID required");
    }

    @Test
    void anUnknownSessionIsNotFound() {
        transportError(post(headers("Mcp-Session-Id", "nope"), LIST_TOOLS), 404, "nope");
    }

    @Test
    void getAndDeleteOnAnUnknownSessionCarryNoStackFrames() {
        Http.Response get = http.send("GET", "/mcp", Map.of("Accept", "text/event-stream", "Mcp-Session-Id", "nope"), null);
        assertThat(get.status()).as("%s", get).isEqualTo(404);
        assertNoStackTrace(get.body());
        Http.Response getNoAccept = http.send("GET", "/mcp", Map.of("Mcp-Session-Id", "nope"), null);
        transportError(getNoAccept, 400, "text/event-stream");
        Http.Response delete = http.send("DELETE", "/mcp", Map.of("Mcp-Session-Id", "nope"), null);
        assertThat(delete.status()).as("%s", delete).isEqualTo(404);
        assertNoStackTrace(delete.body());
    }

    /** A session opened by hand, as a raw client would: initialize, then the initialized notification. */
    private static String openSession() {
        Http.Response init = post(MCP_HEADERS, INITIALIZE);
        assertThat(init.status()).as("%s", init).isEqualTo(200);
        String session = init.header("Mcp-Session-Id");
        assertThat(session).as("session id of %s", init).isNotBlank();
        Http.Response initialized = post(headers("Mcp-Session-Id", session),
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        assertThat(initialized.status()).as("%s", initialized).isEqualTo(202);
        return session;
    }

    private static Http.Response call(String session, String params) {
        return post(headers("Mcp-Session-Id", session),
                "{\"jsonrpc\":\"2.0\",\"id\":\"call-7\",\"method\":\"tools/call\",\"params\":" + params + "}");
    }

    @Test
    void toolArgumentsThatAreNotAnObjectAreInvalidParamsForThatId() {
        String session = openSession();
        JsonNode error = jsonRpcError(call(session, "{\"name\":\"list_categories\",\"arguments\":\"x\"}"), 200, -32602,
                "tools/call", "arguments must be an object");
        assertThat(error.path("id").asString()).isEqualTo("call-7");
    }

    @Test
    void paramsThatAreNotAnObjectOrMissingAreInvalidParams() {
        String session = openSession();
        jsonRpcError(call(session, "\"x\""), 200, -32602, "params must be an object", "list_categories");
        jsonRpcError(call(session, "null"), 200, -32602, "params is required");
        JsonNode wrongField = jsonRpcError(post(headers("Mcp-Session-Id", session),
                "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"resources/read\",\"params\":{\"uri\":{\"a\":1}}}"),
                200, -32602, "resources/read", "params.uri");
        assertThat(wrongField.path("id").asInt()).isEqualTo(8);
    }

    @Test
    void aFittingCallStillReachesTheToolAfterTheCheck() {
        String session = openSession();
        Http.Response ok = call(session, "{\"name\":\"list_categories\",\"arguments\":{}}");
        assertThat(ok.status()).as("%s", ok).isEqualTo(200);
        assertThat(ok.body()).contains("\"id\":\"call-7\"", "categories", "GLN").doesNotContain("\"error\"");
    }
}
