package dev.chl.telemetry;

import java.util.Map;
import java.util.function.Supplier;

/** Background task: samples the queue, the workers and running jobs and publishes them on the live channel. */
public final class TelemetryPublisher implements Runnable {
    private final EventBus bus;
    private final Supplier<Map<String, Object>> snapshot;

    /** @param snapshot the current {@code {at, queue, workers, jobs}} picture */
    public TelemetryPublisher(EventBus bus, Supplier<Map<String, Object>> snapshot) {
        this.bus = bus;
        this.snapshot = snapshot;
    }

    @Override
    public void run() {
        Map<String, Object> now = snapshot.get();
        bus.publish("queue", "queue", Map.of("at", now.get("at"), "queue", now.get("queue")));
        bus.publish("workers", "workers", Map.of("at", now.get("at"), "workers", now.get("workers")));
    }
}
