package dev.chl.settings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.model.Actor;
import dev.chl.testing.Await;
import dev.chl.testing.OpsHarness;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A partial update merges with the section as stored when it saves, not as it was before it waited for the write
 * lock: two updates of different fields of one section at once both stay.
 */
class ConcurrentSectionUpdateTest {
    @Test
    void anUpdateWaitingForTheWriteLockMergesWithWhatCommittedMeanwhile() throws Exception {
        try (OpsHarness h = new OpsHarness(0)) {
            SettingsService settings = h.settings;
            settings.updateWorkers(Actor.system(), Map.of("count", 1, "batch_size", 16));
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            // Another writer holds the write lock and, inside its transaction, changes the worker count.
            Thread other = Thread.ofPlatform().start(() -> h.database.write(tx -> {
                holding.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                settings.updateWorkers(Actor.system(), Map.of("count", 2));
                return null;
            }));
            assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
            Thread batch = Thread.ofPlatform().start(() -> settings.updateWorkers(Actor.system(), Map.of("batch_size", 24)));
            Await.until("the batch-size update waits for the write lock", Duration.ofSeconds(10),
                    () -> batch.getState() == Thread.State.WAITING || batch.getState() == Thread.State.TIMED_WAITING);
            release.countDown();
            other.join(10_000);
            batch.join(10_000);

            WorkerSettings stored = settings.workers();
            assertThat(stored.count()).as("the other writer's change is kept").isEqualTo(2);
            assertThat(stored.batchSize()).isEqualTo(24);
        }
    }
}
