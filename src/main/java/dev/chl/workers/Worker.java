package dev.chl.workers;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** One embedding worker's identity, counters and last reported status (its loop lives in {@link EmbeddingWorkers}). */
final class Worker {
    final String id;
    final Instant startedAt = Instant.now();
    final AtomicLong processed = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    volatile String status = "idle";
    volatile Instant lastHeartbeat;
    volatile long lastHeartbeatNanos;
    Thread thread;

    Worker(String id) {
        this.id = id;
    }
}
