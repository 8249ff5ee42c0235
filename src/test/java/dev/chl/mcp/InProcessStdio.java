package dev.chl.mcp;

import static dev.chl.mcp.McpTesting.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * The real stdio wiring ({@link McpServers#serveStdio}) in this process, driven with raw JSON lines, after the
 * initialize handshake. NIO pipes: a PipedInputStream reports "pipe broken" once the thread that last wrote to it has
 * ended, and the SDK answers from threads of its own.
 */
final class InProcessStdio {
    private final OutputStream toServer;
    private final BufferedReader fromServer;
    final CompletableFuture<Void> serving;

    InProcessStdio(Library library) throws IOException {
        Pipe in = Pipe.open();
        Pipe out = Pipe.open();
        toServer = Channels.newOutputStream(in.sink());
        fromServer = new BufferedReader(new InputStreamReader(Channels.newInputStream(out.source()), StandardCharsets.UTF_8));
        serving = CompletableFuture.runAsync(() -> {
            try {
                McpServers.serveStdio(library, Channels.newInputStream(in.source()), Channels.newOutputStream(out.sink()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                + "\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}");
        assertThat(answer().path("result").path("serverInfo").path("name").asString()).isEqualTo("chl");
        send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
    }

    void send(String line) throws IOException {
        toServer.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        toServer.flush();
    }

    /** The next line the server wrote, as JSON; it must carry no stack trace. */
    JsonNode answer() throws IOException {
        String line = fromServer.readLine();
        assertThat(line).as("an answer line").isNotNull();
        McpTesting.assertNoStackTrace(line);
        return JSON.readTree(line);
    }

    /** Closes stdin, as a client ending the session does. */
    void closeInput() throws IOException {
        toServer.close();
    }

    /** Closes stdin and waits for the session to end. */
    void end() throws Exception {
        closeInput();
        serving.get(30, TimeUnit.SECONDS);
    }
}
