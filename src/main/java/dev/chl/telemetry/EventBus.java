package dev.chl.telemetry;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.json.JsonMapper;

/**
 * The in-process live channel (topics: queue, workers, jobs). Every event gets an increasing id and stays in a bounded
 * replay buffer, so a client that reconnects with Last-Event-ID receives what it missed, once and in order. Ids keep
 * increasing across restarts (they start from the clock), and a client whose Last-Event-ID the buffer cannot serve
 * — from before this process started, or older than the buffer's oldest event — gets a {@link #RESET} event instead
 * of a silent gap. Publishing never blocks: each subscriber has a bounded queue, and a subscriber too slow to keep up
 * is cut off (it reconnects and replays) instead of slowing the bus, the workers or the other clients.
 */
public final class EventBus {
    public static final int REPLAY = 4096;
    static final int SUBSCRIBER_QUEUE = 1024;
    /** The Last-Event-ID of a client that sent none: new events only, nothing replayed, no reset. */
    public static final long FROM_NOW = Long.MAX_VALUE;
    /** Name (topic and type) of the event that tells a resuming client it missed events and should re-read the state. */
    public static final String RESET = "reset";
    /**
     * Ids start at epoch milliseconds × this: a restarted process starts above the previous one unless that one
     * published more than 1,000 events per millisecond of its life, and ids stay below 2^53 (exact as JavaScript
     * numbers) until the year 2255.
     */
    static final long IDS_PER_MILLISECOND = 1000;

    private final JsonMapper json;
    private final ArrayDeque<Event> replay = new ArrayDeque<>();
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final long firstId;
    private long nextId;

    /** A bus whose ids continue above those of earlier processes (seeded from the system clock). */
    public EventBus(JsonMapper json) {
        this(json, System.currentTimeMillis() * IDS_PER_MILLISECOND + 1);
    }

    EventBus(JsonMapper json, long firstId) {
        this.json = json;
        this.firstId = firstId;
        this.nextId = firstId;
    }

    /** One published event; {@code data} is its JSON text. */
    public record Event(long id, String topic, String type, String data, Instant at) {}

    /** Publishes an event; returns its id. */
    public long publish(String topic, String type, Map<String, ?> data) {
        String text = json.writeValueAsString(data);
        Event event;
        synchronized (this) {
            event = new Event(nextId++, topic, type, text, Instant.now());
            replay.addLast(event);
            if (replay.size() > REPLAY) {
                replay.removeFirst();
            }
            for (Subscription s : subscriptions) {
                s.offer(event);
            }
        }
        return event.id();
    }

    /**
     * Subscribes to {@code topics}; events after {@code lastEventId} still in the replay buffer come first. When
     * the buffer cannot serve that id (see the class comment), a {@link #RESET} event comes first instead and new
     * events follow. {@link #FROM_NOW}: new events only. Replay and registration happen atomically, so nothing is
     * lost or repeated between them.
     */
    public synchronized Subscription subscribe(Set<String> topics, long lastEventId) {
        Subscription s = new Subscription(this, topics);
        if (lastEventId != FROM_NOW) {
            long oldest = replay.isEmpty() ? nextId : replay.peekFirst().id();
            if (lastEventId < oldest - 1 || lastEventId > lastId()) {
                s.offerReset(reset(lastEventId, oldest));
            } else {
                for (Event e : replay) {
                    if (e.id() > lastEventId) {
                        s.offer(e);
                    }
                }
            }
        }
        subscriptions.add(s);
        return s;
    }

    /** The reset event: it carries the newest id, so a client that resumes from it later misses nothing more. */
    private Event reset(long lastEventId, long oldest) {
        String reason = lastEventId < firstId - 1 || lastEventId > lastId()
                ? "Last-Event-ID " + lastEventId + " is not from this server process (it restarted since)"
                : "Last-Event-ID " + lastEventId + " is older than the oldest event still buffered (" + oldest + ")";
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("missed", true);
        data.put("reason", reason + "; events were missed: re-read the current state (GET /api/v1/telemetry/snapshot, "
                + "/api/v1/operations/jobs), then follow the events after this one");
        data.put("last_event_id", lastEventId);
        data.put("oldest_event_id", oldest);
        return new Event(lastId(), RESET, RESET, json.writeValueAsString(data), Instant.now());
    }

    /** The id of the newest event published so far (the first id less one before any). */
    public synchronized long lastId() {
        return nextId - 1;
    }

    void remove(Subscription s) {
        subscriptions.remove(s);
    }

    /** One subscriber's bounded queue. */
    public static final class Subscription implements AutoCloseable {
        private final EventBus bus;
        private final Set<String> topics;
        private final BlockingQueue<Event> queue = new ArrayBlockingQueue<>(SUBSCRIBER_QUEUE);
        private volatile boolean overflowed;

        Subscription(EventBus bus, Set<String> topics) {
            this.bus = bus;
            this.topics = topics;
        }

        /** A reset goes to every subscriber, whatever its topics; it comes first, so the empty queue has room. */
        void offerReset(Event reset) {
            queue.offer(reset);
        }

        void offer(Event event) {
            if (overflowed || !topics.contains(event.topic())) {
                return;
            }
            if (!queue.offer(event)) {
                overflowed = true;
                bus.remove(this);
            }
        }

        /** The next event, waiting up to {@code timeoutMs}; null when none came. */
        public Event next(long timeoutMs) throws InterruptedException {
            return queue.poll(timeoutMs, TimeUnit.MILLISECONDS);
        }

        /** Drains what is queued now without waiting. */
        public List<Event> drain() {
            List<Event> events = new ArrayList<>();
            queue.drainTo(events);
            return events;
        }

        /** True once this subscriber fell too far behind; it should close and reconnect with its last id. */
        public boolean overflowed() {
            return overflowed && queue.isEmpty();
        }

        @Override
        public void close() {
            bus.remove(this);
        }
    }
}
