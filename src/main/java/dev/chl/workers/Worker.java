package dev.chl.workers;

import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicLong;

/** One embedding worker's identity, counters and last reported status (its loop lives in {@link EmbeddingWorkers}). */
final class Worker {
    final int number;
    final String id;
    final Instant startedAt;
    final AtomicLong processed = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    volatile String status = "idle";
    volatile Instant lastHeartbeat;
    /** Last sign that the loop is getting on; the heartbeat task writes nothing once this is too old (stuck). */
    volatile Instant lastProgress;
    volatile Thread thread;
    volatile ScheduledFuture<?> heartbeatTask;
    /**
     * True from the loop's paused branch until its next check finds it unpaused (both under the pool's lock): a worker
     * parked and still paused takes no batch, whereas a pause only just asked for may meet a loop already past its check.
     */
    volatile boolean parked;
    /** Set when a lower worker count leaves this worker out: it finishes its batch and leaves the pool. */
    volatile boolean retiring;

    Worker(int number, Instant startedAt) {
        this.number = number;
        this.id = idOf(number);
        this.startedAt = startedAt;
        this.lastProgress = startedAt;
    }

    static String idOf(int number) {
        return "worker-" + number;
    }
}
