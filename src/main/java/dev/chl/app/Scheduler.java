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

    @Override
    public void close() {
        // No interrupts: an interrupted Lucene write closes the index writer for good. Tasks are short; let them end.
        executor.shutdown();
        try {
            executor.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
