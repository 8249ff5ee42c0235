package dev.chl.app;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs small background tasks on a schedule; a task that fails is logged and runs again next time. */
public final class Scheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);

    // Two threads, so one long task (an index heal at start-up) cannot hold up the frequent small ones.
    private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "chl-scheduler");
        thread.setDaemon(true);
        return thread;
    });

    public void every(String name, Duration initialDelay, Duration period, Runnable task) {
        executor.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (Throwable t) {
                LOG.error("background task '{}' failed; it will run again in {}", name, period, t);
            }
        }, initialDelay.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs a task once, now, on the scheduler's thread. */
    public void once(String name, Runnable task) {
        executor.execute(() -> {
            try {
                task.run();
            } catch (Throwable t) {
                LOG.error("background task '{}' failed", name, t);
            }
        });
    }

    /**
     * Stops scheduling and lets a running task finish: interrupting a task that is inside Lucene (a refresh, a commit,
     * the start-up heal) closes the IndexWriter as a "tragic event", so the index could not be committed at close.
     * Only a task still running after the grace period is interrupted.
     */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                executor.shutdownNow();
                executor.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
