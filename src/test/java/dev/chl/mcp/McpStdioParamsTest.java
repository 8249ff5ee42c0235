package dev.chl.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * Over stdio, params that do not fit their method are answered as invalid params (-32602) naming what to fix, not as
 * an internal error carrying the converter's qualified class names. Raw JSON lines on the real stdio wiring, in-process.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class McpStdioParamsTest {
    private final FakeLibrary library = new FakeLibrary().category("ABC", 0, 0);
    private InProcessStdio stdio;

    @BeforeEach
    void start() throws IOException {
        stdio = new InProcessStdio(library);
    }

    @AfterEach
    void stop() throws Exception {
        stdio.end();
    }

    private void send(String line) throws IOException {
        stdio.send(line);
    }

    private JsonNode answer() throws IOException {
        return stdio.answer();
    }

    private JsonNode invalidParams(String request, int id) throws IOException {
        send(request);
        JsonNode answer = answer();
        assertThat(answer.path("id").asInt()).as("%s", answer).isEqualTo(id);
        assertThat(answer.path("error").path("code").asInt()).as("%s", answer).isEqualTo(-32602);
        assertThat(answer.path("error").path("message").asString()).doesNotContain("jackson", "McpSchema", "Exception");
        return answer.path("error");
    }

    @Test
    void toolArgumentsThatAreNotAnObjectAreInvalidParams() throws IOException {
        JsonNode error = invalidParams("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\","
                + "\"params\":{\"name\":\"list_categories\",\"arguments\":\"x\"}}", 2);
        assertThat(error.path("message").asString()).contains("tools/call", "arguments must be an object");
        assertThat(library.calls).isEmpty();
    }

    @Test
    void paramsThatAreNotAnObjectOrMissingAreInvalidParams() throws IOException {
        assertThat(invalidParams("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":\"x\"}", 3)
                .path("message").asString()).contains("params must be an object");
        assertThat(invalidParams("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\"}", 4)
                .path("message").asString()).contains("params is required");
        assertThat(invalidParams("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"resources/read\",\"params\":{\"uri\":[1]}}", 5)
                .path("message").asString()).contains("params.uri");
    }

    @Test
    void anUnknownLoggingLevelAndAResourceReadWithoutUriAreInvalidParamsOverStdioToo() throws IOException {
        assertThat(invalidParams("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"logging/setLevel\",\"params\":{\"level\":\"loud\"}}", 7)
                .path("message").asString()).contains("level must be one of");
        assertThat(invalidParams("{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"resources/read\",\"params\":{}}", 8)
                .path("message").asString()).contains("params.uri is required");
    }

    @Test
    void aFittingCallIsServed() throws IOException {
        send("{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"tools/call\",\"params\":{\"name\":\"list_categories\",\"arguments\":{}}}");
        JsonNode answer = answer();
        assertThat(answer.path("result").path("structuredContent").path("categories").toString()).as("%s", answer).contains("ABC");
    }
}
