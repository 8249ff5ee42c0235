package dev.chl.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Closing the scheduler must not interrupt a running task: the tasks are Lucene refreshes, commits and the start-up
 * heal, and an interrupt inside Lucene closes the IndexWriter (so the index could no longer be committed at close).
 */
class SchedulerShutdownTest {
    @Test
    void closeLetsARunningTaskFinishUninterrupted() throws InterruptedException {
        Scheduler scheduler = new Scheduler();
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicBoolean finished = new AtomicBoolean();
        scheduler.once("slow", () -> {
            started.countDown();
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
            while (System.nanoTime() < end) {
                if (Thread.currentThread().isInterrupted()) {
                    interrupted.set(true);
                    return;
                }
                Thread.onSpinWait();
            }
            finished.set(true);
        });
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

        scheduler.close();

        assertThat(interrupted).as("the running task was interrupted").isFalse();
        assertThat(finished).isTrue();
    }

    @Test
    void periodicTasksStopAtClose() throws InterruptedException {
        Scheduler scheduler = new Scheduler();
        AtomicInteger runs = new AtomicInteger();
        scheduler.every("tick", Duration.ZERO, Duration.ofMillis(10), runs::incrementAndGet);
        Thread.sleep(100);

        scheduler.close();
        int atClose = runs.get();
        Thread.sleep(100);

        assertThat(atClose).isPositive();
        assertThat(runs.get()).isEqualTo(atClose);
    }
}
