package dev.chl.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
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
    private InProcessStdio stdio;

    @BeforeEach
    void start() throws IOException {
        stdio = new InProcessStdio(library);
    }

    private void send(String line) throws IOException {
        stdio.send(line);
    }

    private JsonNode answer() throws IOException {
        return stdio.answer();
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
        stdio.end();
    }

    @Test
    void aLineOverTheSdksLimitIsRefusedAndTheSessionGoesOn() throws Exception {
        send("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"ping\",\"params\":{\"x\":\"" + "x".repeat(StdioGuard.MAX_LINE_CHARS) + "\"}}");
        JsonNode error = answer();
        assertThat(error.path("error").path("code").asInt()).as("%s", error).isEqualTo(-32600);
        assertThat(error.path("error").path("message").asString()).contains("at most");
        pingIsAnswered(8);
        stdio.end();
    }

    @Test
    void aByteOrderMarkBeforeAMessageIsIgnoredAndParseErrorsNameNoParserInternals() throws Exception {
        send("\uFEFF{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"ping\"}");
        assertThat(answer().path("id").asInt()).isEqualTo(5);
        send("{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"ping\"} {\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"ping\"}");
        String message = answer().path("error").path("message").asString();
        assertThat(message).startsWith("Parse error").doesNotContain("JsonToken", "tools.jackson", "StreamReadConstraints");
        stdio.end();
    }

    @Test
    void blankLinesBetweenMessagesAreSkipped() throws Exception {
        send("");
        send("   ");
        pingIsAnswered(8);
        stdio.end();
    }

    @Test
    void aRequestInFlightWhenStdinEndsIsStillAnsweredBeforeTheSessionEnds() throws Exception {
        library.createGate = new CountDownLatch(1);
        send("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"create_entry\",\"arguments\":"
                + "{\"entity_type\":\"experience\",\"category_code\":\"ABC\",\"data\":{\"section\":\"useful\","
                + "\"title\":\"Sent just before the end\",\"playbook\":\"x\"}}}}");
        stdio.closeInput();
        Thread.sleep(300);
        assertThat(stdio.serving).as("still serving while the create runs").isNotDone();
        library.createGate.countDown();
        JsonNode created = answer();
        assertThat(created.path("id").asInt()).as("%s", created).isEqualTo(3);
        assertThat(created.path("result").path("isError").asBoolean()).as("%s", created).isFalse();
        stdio.serving.get(30, TimeUnit.SECONDS);
    }
}
