package dev.chl.api;

import dev.chl.common.ValidationException;
import dev.chl.http.HttpError;
import dev.chl.http.HttpModule;
import dev.chl.http.SseBatch;
import dev.chl.http.SseStreams;
import dev.chl.telemetry.EventBus;
import io.javalin.config.JavalinConfig;
import io.javalin.http.sse.SseClient;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * {@code GET /api/v1/events?topics=queue,workers,jobs}: Server-Sent Events. Each event carries an id; a client that
 * reconnects with {@code Last-Event-ID} first receives what it missed (from a bounded buffer), or, when that id is
 * from before a restart or older than the buffer, an {@code event: reset} saying so. Without {@code topics} the
 * stream carries every topic; a given {@code topics} must name at least one, with no empty items. A comment every 15 s
 * keeps idle connections open. Each client is served by its own virtual thread from its own bounded queue, so a slow
 * client never holds up the others or the publishers.
 */
public final class EventsApi implements HttpModule, AutoCloseable {
    static final Set<String> TOPICS = Set.of("queue", "workers", "jobs");
    static final long HEARTBEAT_MS = 15_000;
    static final long COALESCE_MS = 25;

    private final EventBus bus;
    private final SseStreams streams = new SseStreams();

    public EventsApi(EventBus bus) {
        this.bus = bus;
    }

    @Override
    public void register(JavalinConfig cfg) {
        cfg.routes.before("/api/v1/events", ctx -> {
            // Javalin serves the stream only to clients that accept it and answers anyone else an empty 200, which
            // reads as "no events" (curl's default */* included): say what to send instead.
            String accept = ctx.header("Accept");
            if (accept == null || !accept.contains("text/event-stream")) {
                throw new HttpError(406, "Not Acceptable", "/api/v1/events is a Server-Sent Events stream: send "
                        + "'Accept: text/event-stream' (a browser's EventSource does; with curl add -N -H 'Accept: text/event-stream')");
            }
            topics(ctx.queryParam("topics"));
            lastEventId(ctx.header("Last-Event-ID"), ctx.queryParam("last_event_id"));
        });
        cfg.routes.sse("/api/v1/events", client -> {
            Set<String> topics = topics(client.ctx().queryParam("topics"));
            long last = lastEventId(client.ctx().header("Last-Event-ID"), client.ctx().queryParam("last_event_id"));
            EventBus.Subscription subscription = bus.subscribe(topics, last);
            streams.serve(client, "sse-client", subscription, c -> stream(c, subscription));
        });
    }

    private static void stream(SseClient client, EventBus.Subscription subscription) throws InterruptedException {
        while (!client.terminated()) {
            // Cut off (fell too far behind) and everything it held is sent: end now, so the client reconnects with
            // its last id at once instead of sitting on a dead subscription until the next keep-alive.
            if (subscription.overflowed()) {
                return;
            }
            EventBus.Event event = subscription.next(HEARTBEAT_MS);
            if (event == null) {
                if (subscription.overflowed()) {
                    return;
                }
                client.sendComment("keep-alive");
                continue;
            }
            // A job's events come in bursts (queued, running, progress…): let one gather briefly, then send all of it in
            // one write and flush.
            Thread.sleep(COALESCE_MS);
            SseBatch batch = new SseBatch().add(event.topic(), event.data(), Long.toString(event.id()));
            subscription.drain().forEach(e -> batch.add(e.topic(), e.data(), Long.toString(e.id())));
            if (!batch.sendTo(client)) {
                return;
            }
        }
    }

    /** Ends every open stream while the server can still close them cleanly (before the HTTP server stops). */
    @Override
    public void close() {
        streams.close();
    }

    /** Absent: every topic. Given: a comma-separated list of known topics; an empty list or item is an error. */
    static Set<String> topics(String value) {
        if (value == null) {
            return TOPICS;
        }
        Set<String> topics = new LinkedHashSet<>();
        for (String t : value.split(",", -1)) {
            String topic = t.strip();
            if (topic.isEmpty()) {
                throw new ValidationException("topics", "'" + value + "' has an empty topic; list any of queue, workers, jobs "
                        + "separated by commas, or leave topics out for all of them");
            }
            if (!TOPICS.contains(topic)) {
                throw new ValidationException("topics", "unknown topic '" + topic + "'; use any of queue, workers, jobs");
            }
            topics.add(topic);
        }
        return topics;
    }

    static long lastEventId(String header, String query) {
        String value = header != null ? header : query;
        if (value == null || value.isBlank()) {
            return EventBus.FROM_NOW;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new ValidationException("Last-Event-ID", "must be the id of an event this server sent");
        }
    }
}
