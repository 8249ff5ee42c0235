package dev.chl.web;

import dev.chl.http.SseBatch;
import dev.chl.http.SseStreams;
import dev.chl.telemetry.EventBus;
import io.javalin.config.JavalinConfig;
import io.javalin.http.sse.SseClient;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code GET /ui/events}: the console's live channel. Each event only says "this topic changed" (event name queue,
 * workers or jobs); the page then fetches the fragment it shows with the same request its polling fallback uses, so
 * live and polled views are rendered by one piece of code. Bursts are coalesced to at most a few messages per second
 * per topic, and the last event of a burst is always sent. Event ids are the bus's, so a browser that reconnects with
 * Last-Event-ID resumes where it was.
 */
final class LiveEvents implements AutoCloseable {
    private static final Set<String> TOPICS = Set.of("queue", "workers", "jobs");
    private static final long COALESCE_MS = 200;
    private static final long KEEP_ALIVE_MS = 15_000;
    private static final Pattern AT = Pattern.compile("\"at\":\"[^\"]*\",?");

    private final EventBus bus;
    private final SseStreams streams = new SseStreams();

    LiveEvents(EventBus bus) {
        this.bus = bus;
    }

    void register(JavalinConfig cfg) {
        cfg.routes.sse("/ui/events", client -> {
            EventBus.Subscription subscription = bus.subscribe(TOPICS, lastEventId(client.ctx().header("Last-Event-ID")));
            streams.serve(client, "console-live", subscription, c -> stream(c, subscription));
        });
    }

    private static void stream(SseClient client, EventBus.Subscription subscription) throws InterruptedException {
        Map<String, String> lastSent = new HashMap<>();
        long quietSince = System.currentTimeMillis();
        while (!client.terminated() && !subscription.overflowed()) {
            EventBus.Event first = subscription.next(1000);
            if (first == null) {
                if (System.currentTimeMillis() - quietSince > KEEP_ALIVE_MS) {
                    client.sendComment("keep-alive");
                    quietSince = System.currentTimeMillis();
                }
                continue;
            }
            Thread.sleep(COALESCE_MS); // let a burst gather, then send its newest event per topic
            Map<String, EventBus.Event> newest = new HashMap<>();
            newest.put(first.topic(), first);
            subscription.drain().forEach(e -> newest.put(e.topic(), e));
            List<EventBus.Event> toSend = newest.values().stream().sorted(Comparator.comparingLong(EventBus.Event::id)).toList();
            SseBatch batch = new SseBatch();
            for (EventBus.Event e : toSend) {
                // The periodic queue and workers snapshots repeat themselves while nothing happens: a page re-renders
                // only for a change (the "at" time stamp aside).
                String content = AT.matcher(e.data()).replaceFirst("");
                if (!e.topic().equals("jobs") && content.equals(lastSent.get(e.topic()))) {
                    continue;
                }
                lastSent.put(e.topic(), content);
                batch.add(e.topic(), Long.toString(e.id()), Long.toString(e.id()));
            }
            if (!batch.sendTo(client)) {
                return;
            }
            quietSince = System.currentTimeMillis();
        }
    }

    /** A resuming browser sends the id of the last event it saw; anything else starts from now. */
    private long lastEventId(String header) {
        if (header != null) {
            try {
                return Long.parseLong(header.strip());
            } catch (NumberFormatException ignored) {
                // a mangled id: start from now
            }
        }
        return bus.lastId();
    }

    @Override
    public void close() {
        streams.close();
    }
}
