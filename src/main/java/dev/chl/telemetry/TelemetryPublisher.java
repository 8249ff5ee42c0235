package dev.chl.telemetry;

import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;

/** Background task: samples the queue, the workers and running jobs and publishes them on the live channel. */
public final class TelemetryPublisher implements Runnable {
    private final EventBus bus;
    private final Supplier<Map<String, Object>> snapshot;
    private final QueueHistory history;

    /**
     * @param snapshot the current {@code {at, queue, workers, jobs}} picture
     * @param history  keeps each queue sample for the console's chart
     */
    public TelemetryPublisher(EventBus bus, Supplier<Map<String, Object>> snapshot, QueueHistory history) {
        this.bus = bus;
        this.snapshot = snapshot;
        this.history = history;
    }

    @Override
    public void run() {
        Map<String, Object> now = snapshot.get();
        if (now.get("queue") instanceof Map<?, ?> queue) {
            history.record(new QueueHistory.Sample(Instant.now(), count(queue.get("pending")), count(queue.get("failed"))));
        }
        bus.publish("queue", "queue", Map.of("at", now.get("at"), "queue", now.get("queue")));
        bus.publish("workers", "workers", Map.of("at", now.get("at"), "workers", now.get("workers")));
    }

    private static long count(Object value) {
        return value instanceof Number n ? n.longValue() : 0;
    }
}
