package dev.chl.workers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.model.Actor;
import dev.chl.testing.Await;
import dev.chl.testing.OpsHarness;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The worker count applies without a restart: the pool grows at once, and a worker left out by a lower count finishes
 * its batch before it leaves (taking its single-worker pause with it).
 */
class WorkerPoolSizeTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final WorkerTimings QUICK = new WorkerTimings(Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofSeconds(10));

    private OpsHarness h;
    private EmbeddingWorkers workers;

    @BeforeEach
    void start() {
        h = new OpsHarness(0);
        count(1);
        workers = new EmbeddingWorkers(h.database, h.embedder, batch -> { }, h.settings, h.audit, Clock.systemUTC(), QUICK);
        workers.start();
    }

    @AfterEach
    void close() {
        h.embedder.openGate();
        workers.close();
        h.close();
    }

    private void count(int n) {
        h.settings.updateWorkers(Actor.system(), Map.of("count", n, "batch_size", 4));
    }

    private List<String> ids() {
        return workers.states().stream().map(WorkerState::id).toList();
    }

    private WorkerState state(String id) {
        return workers.states().stream().filter(w -> w.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void aHigherCountStartsWorkersAndALowerOneRetiresThemAfterTheirBatch() {
        count(3);
        Await.until("three workers", WAIT, this::ids, ids -> ids.equals(List.of("worker-1", "worker-2", "worker-3")));
        Await.until("each new worker heartbeats", WAIT,
                () -> workers.states().stream().allMatch(w -> w.lastHeartbeatAt() != null && !w.stale()));

        // Only worker-3 is free: it takes the next batch, which the gate holds while the count drops to 1.
        workers.pause(OpsHarness.OPERATOR, "worker-1");
        workers.pause(OpsHarness.OPERATOR, "worker-2");
        // A pause only records the intent: a loop just past its check could still take the entry meant for worker-3.
        Await.until("worker-1 and worker-2 sit in their pause", WAIT, () -> workers.parked("worker-1") && workers.parked("worker-2")
                && state("worker-1").status().equals("paused") && state("worker-2").status().equals("paused"));
        h.embedder.closeGate();
        String id = h.insertPending("embedded by the third worker");
        workers.wake();
        Await.until("worker-3's batch is in the model", WAIT, () -> h.embedder.inFlight() == 1);
        count(1);
        Await.until("worker-2 leaves at once (it is idle)", WAIT, this::ids, ids -> ids.equals(List.of("worker-1", "worker-3")));
        Await.holdsFor("worker-3 stays until its batch is done", Duration.ofMillis(400), () -> ids().contains("worker-3"));

        h.embedder.openGate();
        Await.until("embedded", WAIT, () -> h.status(id).equals("embedded"));
        Await.until("worker-3 left too", WAIT, this::ids, ids -> ids.equals(List.of("worker-1")));

        count(2);
        Await.until("worker-2 is back", WAIT, this::ids, ids -> ids.equals(List.of("worker-1", "worker-2")));
        assertThat(state("worker-2").status()).as("its pause left with it").isNotEqualTo("paused");
        assertThat(state("worker-1").status()).isEqualTo("paused");
        workers.resumeAll(OpsHarness.OPERATOR);
        List<String> more = h.insertPending("after the changes", 8);
        workers.wake();
        Await.until("both embed again", WAIT, () -> h.countWithStatus(more, "embedded") == more.size());
    }

    @Test
    void everyWorkerFindsWorkWhileAnyIsLeftHowEverManyOthersHold() {
        // Batches of one: with the oldest rows all claimed by others, a worker must look past every one of them (a
        // fixed window of four batches left workers five to eight idle beside a full queue).
        h.settings.updateWorkers(Actor.system(), Map.of("count", 8, "batch_size", 1));
        Await.until("eight workers", WAIT, this::ids, ids -> ids.size() == 8);
        h.embedder.closeGate();
        List<String> pending = h.insertPending("one each", 8);
        workers.wake();
        Await.until("all eight in the model at once", WAIT, () -> h.embedder.inFlight() == 8);
        h.embedder.openGate();
        Await.until("all embedded", WAIT, () -> h.countWithStatus(pending, "embedded") == pending.size());
    }
}
