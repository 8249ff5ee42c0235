package dev.chl.workers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.model.Actor;
import dev.chl.testing.Await;
import dev.chl.testing.OpsHarness;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Heartbeats (DESIGN §5) are written beside the worker loop, so a batch longer than the heartbeat interval (or the
 * stale threshold) leaves the worker fresh; only a worker without progress for {@code stuckAfter} turns stale.
 * Short timings keep the tests quick.
 */
class HeartbeatTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private OpsHarness h;
    private EmbeddingWorkers workers;

    @AfterEach
    void close() {
        if (workers != null) {
            h.embedder.openGate();
            workers.close();
        }
        if (h != null) {
            h.close();
        }
    }

    private void start(WorkerTimings timings, int batchSize) {
        h = new OpsHarness(0);
        h.settings.updateWorkers(Actor.system(), Map.of("count", 1, "batch_size", batchSize));
        workers = new EmbeddingWorkers(h.database, h.embedder, batch -> { }, h.settings, h.audit, Clock.systemUTC(), timings);
        workers.start();
        Await.until("a first heartbeat", WAIT, () -> worker().lastHeartbeatAt() != null);
    }

    private WorkerState worker() {
        return workers.states().getFirst();
    }

    private long heartbeatRows() {
        return h.sql.count("SELECT count(*) FROM worker_metrics WHERE worker_id = 'worker-1'");
    }

    private String insertPending(String title) {
        String id = h.insertPending(title);
        workers.wake();
        return id;
    }

    @Test
    void aWorkerHeldInABatchLongerThanTheStaleThresholdKeepsHeartbeating() {
        // Generous margins for a loaded CI machine: one scheduler thread writes every heartbeat through the fair write
        // lock, so single beats may come late by a few hundred ms; only a worker whose beats stop for 3 s is stale.
        // Holding the batch longer than that threshold proves the beats go on beside it.
        Duration staleAfter = Duration.ofSeconds(3);
        start(new WorkerTimings(Duration.ofMillis(200), staleAfter, Duration.ofSeconds(30)), 4);
        h.embedder.closeGate();
        String id = insertPending("held in the model");
        Await.until("the batch is in the model", WAIT, () -> h.embedder.inFlight() == 1);
        Instant heldSince = Instant.now();
        long rowsBefore = heartbeatRows();

        Await.holdsFor("the busy worker is not stale", staleAfter.plusSeconds(1), () -> !worker().stale());

        assertThat(h.embedder.inFlight()).as("still inside the same batch").isEqualTo(1);
        assertThat(worker().lastHeartbeatAt()).as("the heartbeat advanced while the batch was held").isAfter(heldSince);
        assertThat(heartbeatRows() - rowsBefore).as("heartbeats while the batch ran (about 20 expected)").isGreaterThanOrEqualTo(3);
        assertThat(worker().status()).isEqualTo("running");
        h.embedder.openGate();
        Await.until("embedded", WAIT, () -> h.status(id).equals("embedded"));
    }

    @Test
    void aWorkerWithoutProgressForTheStuckTimeTurnsStaleAndRecovers() {
        start(new WorkerTimings(Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofMillis(1000)), 4);
        h.embedder.closeGate();
        String id = insertPending("stuck in the model");
        Await.until("the batch is in the model", WAIT, () -> h.embedder.inFlight() == 1);

        Await.until("the stuck worker shows stale", WAIT, () -> worker().stale());
        assertThat(worker().status()).isEqualTo("running");

        h.embedder.openGate();
        Await.until("embedded", WAIT, () -> h.status(id).equals("embedded"));
        Await.until("fresh again", WAIT, () -> !worker().stale());
    }

    @Test
    void aLongBatchReportsProgressBetweenModelCalls() {
        // 64 entries of a few texts each: one model call for all of them would run for seconds without progress.
        // The regression this guards (one model call for the whole batch) shows in the count of model calls below;
        // "never stale" is checked with thresholds far above one call (32 texts x 20 ms), so a slow CI machine passes.
        start(new WorkerTimings(Duration.ofMillis(200), Duration.ofSeconds(3), Duration.ofSeconds(3)), 64);
        workers.pauseAll(OpsHarness.OPERATOR);
        List<String> ids = h.insertPending("a long batch", 64);
        h.embedder.slowDown(Duration.ofMillis(20));
        workers.resumeAll(OpsHarness.OPERATOR);
        Await.until("the batch is in the model", WAIT, () -> h.embedder.batches() >= 1);

        Await.until("every entry embedded, the worker never stale", WAIT, () -> {
            assertThat(worker().stale()).as("stale during a long batch").isFalse();
            return h.countWithStatus(ids, "embedded") == ids.size();
        });
        assertThat(h.embedder.batches()).as("several model calls").isGreaterThan(1);
    }
}
