package dev.chl.http;

import io.javalin.http.sse.SseClient;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Server-sent events framed here and written with one flush per batch. Javalin's {@code SseClient.sendEvent} copies
 * every event through a reader with fresh buffers and flushes it on its own; with hundreds of listeners that per-event,
 * per-client work showed in the embedding throughput (BENCHMARKS.md, "SSE fan-out"). Written from the stream's own
 * thread only, like every other write to that client.
 */
public final class SseBatch {
    private final StringBuilder text = new StringBuilder(1024);

    /** Adds one event; data of several lines becomes several {@code data:} fields, as the SSE format requires. */
    public SseBatch add(String event, String data, String id) {
        text.append("id: ").append(oneLine(id)).append('\n');
        text.append("event: ").append(oneLine(event)).append('\n');
        for (String line : data.split("\r\n|\r|\n", -1)) {
            text.append("data: ").append(line).append('\n');
        }
        text.append('\n');
        return this;
    }

    /** Writes the batch and flushes it; false when the client has gone (the stream should end). Empties the batch. */
    public boolean sendTo(SseClient client) {
        if (client.terminated()) {
            return false;
        }
        if (text.isEmpty()) {
            return true;
        }
        try {
            HttpServletResponse response = client.ctx().res();
            response.getOutputStream().write(text.toString().getBytes(StandardCharsets.UTF_8));
            response.flushBuffer();
            return true;
        } catch (IOException | RuntimeException e) {
            client.close(); // the client went away mid-write
            return false;
        } finally {
            text.setLength(0);
        }
    }

    private static String oneLine(String value) {
        return value.replace("\r", "").replace("\n", "");
    }
}
