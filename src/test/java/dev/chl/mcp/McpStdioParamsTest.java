package dev.chl.mcp;

import static dev.chl.mcp.McpTesting.JSON;
import static dev.chl.mcp.McpTesting.assertNoStackTrace;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
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
    private OutputStream toServer;
    private BufferedReader fromServer;
    private CompletableFuture<Void> serving;

    @BeforeEach
    void start() throws IOException {
        PipedInputStream serverIn = new PipedInputStream(1 << 16);
        toServer = new PipedOutputStream(serverIn);
        PipedInputStream clientIn = new PipedInputStream(1 << 16);
        PipedOutputStream serverOut = new PipedOutputStream(clientIn);
        fromServer = new BufferedReader(new InputStreamReader(clientIn, StandardCharsets.UTF_8));
        serving = CompletableFuture.runAsync(() -> {
            try {
                McpServers.serveStdio(library, serverIn, serverOut);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                + "\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}");
        assertThat(answer().path("result").path("serverInfo").path("name").asString()).isEqualTo("chl");
        send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
    }

    @AfterEach
    void stop() throws Exception {
        toServer.close();
        serving.get(30, TimeUnit.SECONDS);
    }

    private void send(String line) throws IOException {
        toServer.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        toServer.flush();
    }

    private JsonNode answer() throws IOException {
        String line = fromServer.readLine();
        assertThat(line).as("an answer line").isNotNull();
        assertNoStackTrace(line);
        return JSON.readTree(line);
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
    void aFittingCallIsServed() throws IOException {
        send("{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"tools/call\",\"params\":{\"name\":\"list_categories\",\"arguments\":{}}}");
        JsonNode answer = answer();
        assertThat(answer.path("result").path("structuredContent").path("categories").toString()).as("%s", answer).contains("ABC");
    }
}
