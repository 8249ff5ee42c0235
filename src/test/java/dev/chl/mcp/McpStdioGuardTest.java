package dev.chl.mcp;

import static dev.chl.mcp.McpTesting.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/**
 * stdio as clients and scripts really use it: a line that is not a JSON-RPC message gets its error and the session goes
 * on (the SDK alone stopped reading for good and the process never exited); when stdin ends, requests already sent are
 * answered before the process ends.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class McpStdioGuardTest {
    private final FakeLibrary library = new FakeLibrary().category("ABC", 0, 0);
    private OutputStream toServer;
    private BufferedReader fromServer;
    private CompletableFuture<Void> serving;

    @BeforeEach
    void start() throws IOException {
        // NIO pipes: a PipedInputStream reports "pipe broken" once the thread that last wrote to it has ended, and the
        // SDK answers from threads of its own.
        Pipe in = Pipe.open();
        Pipe out = Pipe.open();
        InputStream serverIn = Channels.newInputStream(in.source());
        toServer = Channels.newOutputStream(in.sink());
        OutputStream serverOut = Channels.newOutputStream(out.sink());
        fromServer = new BufferedReader(new InputStreamReader(Channels.newInputStream(out.source()), StandardCharsets.UTF_8));
        serving = CompletableFuture.runAsync(() -> {
            try {
                McpServers.serveStdio(library, serverIn, serverOut);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                + "\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}");
        assertThat(answer().path("id").asInt()).isEqualTo(1);
        send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
    }

    private void send(String line) throws IOException {
        toServer.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        toServer.flush();
    }

    private JsonNode answer() throws IOException {
        String line = fromServer.readLine();
        assertThat(line).as("an answer line").isNotNull();
        return JSON.readTree(line);
    }

    private void pingIsAnswered(int id) throws IOException {
        send("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"ping\"}");
        JsonNode pong = answer();
        assertThat(pong.path("id").asInt()).as("%s", pong).isEqualTo(id);
        assertThat(pong.has("result")).as("%s", pong).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "not json | -32700 | null",
            "{\"jsonrpc\":\"2.0\",\"id\":5 | -32700 | null",
            "[{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"ping\"}] | -32600 | null",
            "{} | -32600 | null",
            "`\"ping\"` | -32600 | null",
            "{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"ping\"} | -32600 | null",
            "{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"ping\"} | -32600 | null",
            "{\"jsonrpc\":\"1.0\",\"id\":6,\"method\":\"ping\"} | -32600 | 6",
            "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":42} | -32600 | 7",
            "{\"jsonrpc\":\"2.0\",\"id\":9} | -32600 | 9"})
    void aLineThatIsNoMessageGetsItsErrorAndTheSessionGoesOn(String line, int code, String id) throws Exception {
        send(line);
        JsonNode error = answer();
        assertThat(error.path("error").path("code").asInt()).as("%s", error).isEqualTo(code);
        assertThat(error.path("id").isNull() ? "null" : error.path("id").asString()).isEqualTo(id);
        assertThat(error.path("error").path("message").asString()).doesNotContain("Exception", "jackson");
        pingIsAnswered(8);
        toServer.close();
        serving.get(30, TimeUnit.SECONDS);
    }

    @Test
    void blankLinesBetweenMessagesAreSkipped() throws Exception {
        send("");
        send("   ");
        pingIsAnswered(8);
        toServer.close();
        serving.get(30, TimeUnit.SECONDS);
    }

    @Test
    void aRequestInFlightWhenStdinEndsIsStillAnsweredBeforeTheSessionEnds() throws Exception {
        library.createGate = new CountDownLatch(1);
        send("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"create_entry\",\"arguments\":"
                + "{\"entity_type\":\"experience\",\"category_code\":\"ABC\",\"data\":{\"section\":\"useful\","
                + "\"title\":\"Sent just before the end\",\"playbook\":\"x\"}}}}");
        toServer.close();
        Thread.sleep(300);
        assertThat(serving).as("still serving while the create runs").isNotDone();
        library.createGate.countDown();
        JsonNode created = answer();
        assertThat(created.path("id").asInt()).as("%s", created).isEqualTo(3);
        assertThat(created.path("result").path("isError").asBoolean()).as("%s", created).isFalse();
        serving.get(30, TimeUnit.SECONDS);
    }
}
