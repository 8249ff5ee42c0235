package dev.chl.telemetry;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
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
 * replay buffer, so a client that reconnects with Last-Event-ID receives what it missed, once and in order. Publishing
 * never blocks: each subscriber has a bounded queue, and a subscriber too slow to keep up is cut off (it reconnects
 * and replays) instead of slowing the bus, the workers or the other clients.
 */
public final class EventBus {
    public static final int REPLAY = 4096;
    static final int SUBSCRIBER_QUEUE = 1024;

    private final JsonMapper json;
    private final ArrayDeque<Event> replay = new ArrayDeque<>();
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private long nextId = 1;

    public EventBus(JsonMapper json) {
        this.json = json;
    }

    /** One published event; {@code data} is its JSON text. */
    public record Event(long id, String topic, String type, String data, Instant at) {}

    public void publish(String topic, String type, Map<String, ?> data) {
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
    }

    /**
     * Subscribes to {@code topics}; events after {@code lastEventId} still in the replay buffer come first.
     * Replay and registration happen atomically, so nothing is lost or repeated between them.
     */
    public synchronized Subscription subscribe(Set<String> topics, long lastEventId) {
        Subscription s = new Subscription(this, topics);
        for (Event e : replay) {
            if (e.id() > lastEventId) {
                s.offer(e);
            }
        }
        subscriptions.add(s);
        return s;
    }

    /** The id of the newest event published so far (0 before any). */
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
