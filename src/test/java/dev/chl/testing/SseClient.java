package dev.chl.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/**
 * A Server-Sent Events client for tests (java.net.http, {@code Accept: text/event-stream}): a background thread parses
 * {@code id:} / {@code event:} / {@code data:} lines into events as they arrive; {@link #close} disconnects.
 */
public final class SseClient implements AutoCloseable {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One received event. */
    public record Event(long id, String event, String data) {
        public JsonNode json() {
            return Http.JSON.readTree(data);
        }
    }

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final InputStream body;
    private final Thread reader;
    private volatile boolean ended;
    private volatile int comments;

    private SseClient(InputStream body) {
        this.body = body;
        this.reader = Thread.ofVirtual().name("test-sse-reader").start(this::read);
    }

    /**
     * Connects to {@code path} (e.g. {@code /api/v1/events?topics=jobs}); {@code lastEventId} null sends no
     * Last-Event-ID header. Returns once the server has answered 200 and the stream is open.
     */
    public static SseClient connect(String baseUrl, String path, Long lastEventId) {
        return connect(baseUrl, path, lastEventId, java.util.Map.of());
    }

    /** As {@link #connect(String, String, Long)}, with extra request headers (e.g. the console's session cookie). */
    public static SseClient connect(String baseUrl, String path, Long lastEventId, java.util.Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Accept", "text/event-stream");
        headers.forEach(b::header);
        if (lastEventId != null) {
            b.header("Last-Event-ID", Long.toString(lastEventId));
        }
        try {
            HttpResponse<InputStream> r = CLIENT.send(b.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            if (r.statusCode() != 200) {
                String text = new String(r.body().readAllBytes(), StandardCharsets.UTF_8);
                throw new AssertionError("events stream answered " + r.statusCode() + ": " + text);
            }
            if (!r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream")) {
                throw new AssertionError("events stream has content type " + r.headers().firstValue("Content-Type"));
            }
            SseClient client = new SseClient(r.body());
            Await.until("the ': connected' comment", Duration.ofSeconds(10), () -> client.comments > 0 || client.ended);
            return client;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What a request to the events endpoint answered, without waiting for a stream to end: status and (error) body. */
    public record Answer(int status, String contentType, String body) {}

    /** Sends a request to the events endpoint; a 200 stream is closed at once, any other answer is read whole. */
    public static Answer probe(String baseUrl, String path, java.util.Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Accept", "text/event-stream")
                .timeout(Duration.ofSeconds(10));
        headers.forEach(b::header);
        try {
            HttpResponse<InputStream> r = CLIENT.send(b.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            String type = r.headers().firstValue("Content-Type").orElse("");
            try (InputStream in = r.body()) {
                String body = r.statusCode() == 200 ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
                return new Answer(r.statusCode(), type, body);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String id = null;
            String event = null;
            StringBuilder data = null;
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data != null) {
                        events.add(new Event(id == null ? -1 : Long.parseLong(id), event == null ? "message" : event, data.toString()));
                    }
                    id = null;
                    event = null;
                    data = null;
                } else if (line.startsWith(":")) {
                    comments++;
                } else {
                    int colon = line.indexOf(':');
                    String field = colon < 0 ? line : line.substring(0, colon);
                    String value = colon < 0 ? "" : line.substring(colon + 1);
                    if (value.startsWith(" ")) {
                        value = value.substring(1);
                    }
                    switch (field) {
                        case "id" -> id = value;
                        case "event" -> event = value;
                        case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                        default -> { }
                    }
                }
            }
        } catch (IOException e) {
            // closed by the test or by the server
        } finally {
            ended = true;
        }
    }

    /** Every event received so far, in order. */
    public List<Event> events() {
        return new ArrayList<>(events);
    }

    /** True once the server ended the stream (or the client closed it). */
    public boolean ended() {
        return ended;
    }

    /** Waits until some received event matches; returns it. */
    public Event await(String what, Duration timeout, Predicate<Event> match) {
        Await.until(what, timeout, () -> events.stream().anyMatch(match));
        return events.stream().filter(match).findFirst().orElseThrow();
    }

    public long lastId() {
        List<Event> all = events();
        return all.isEmpty() ? -1 : all.getLast().id();
    }

    @Override
    public void close() {
        try {
            body.close();
        } catch (IOException ignored) {
            // already gone
        }
        reader.interrupt();
        try {
            reader.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
