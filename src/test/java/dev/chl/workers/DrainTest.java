package dev.chl.workers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.common.Times;
import dev.chl.testing.OpsHarness;
import dev.chl.testing.Await;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Drain (DESIGN §5): finishes exactly the entries pending when it was asked, then pauses; entries written later wait
 * for resume; entries that fail (or are backing off after a failure) do not hold it open.
 */
class DrainTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private OpsHarness h;

    @AfterEach
    void close() {
        if (h != null) {
            h.close();
        }
    }

    private void awaitDrainFinished() {
        Await.until("the drain to finish and pause the workers", WAIT, () -> !h.workers.draining() && h.workers.paused());
        Await.until("every worker reports paused", WAIT, () -> h.allWorkers("paused"));
    }

    /**
     * Pauses every worker and waits until each sits in its pause. "paused" shows as soon as it is asked, but a loop
     * already past its check takes one more batch — of whatever pending entries exist by then, which made the
     * drain tests count an extra entry now and then.
     */
    private void pauseAllAndSettle() {
        h.workers.pauseAll(OpsHarness.OPERATOR);
        Await.until("every worker sits in its pause", WAIT,
                () -> h.workers.states().stream().allMatch(w -> h.workers.parked(w.id())));
    }

    /**
     * A harness with {@code workers} paused workers and {@code n} pending entries, then a drain whose first batch is
     * held in the model (the gate is closed): what most tests here start from. Returns the entries the drain covers.
     */
    private List<String> drainHeldInFlight(int workers, String title, int n) {
        h = new OpsHarness(workers);
        pauseAllAndSettle();
        List<String> before = h.insertPending(title, n);
        h.embedder.closeGate();
        h.workers.drain(OpsHarness.OPERATOR);
        Await.until("a drain batch is in flight", WAIT, () -> h.embedder.inFlight() >= 1);
        return before;
    }

    @Test
    void drainFinishesExactlyTheEntriesPendingWhenAskedThenPausesAndLaterEntriesWaitForResume() {
        h = new OpsHarness(2);
        pauseAllAndSettle();
        List<String> before = h.insertPending("pending before the drain", 30);

        h.embedder.closeGate();
        h.workers.drain(OpsHarness.OPERATOR);
        assertThat(h.workers.draining()).isTrue();
        assertThat(h.workers.paused()).as("a drain runs the workers until it is done").isFalse();
        Await.until("a drain batch is in flight", WAIT, () -> h.embedder.inFlight() >= 1);
        Await.until("a worker reports draining", WAIT, () -> h.workers.states().stream().anyMatch(w -> w.status().equals("draining")));
        List<String> after = h.insertPending("written during the drain", 10);
        h.embedder.openGate();

        awaitDrainFinished();
        assertThat(h.countWithStatus(before, "embedded")).as("every entry pending at the request").isEqualTo(before.size());
        assertThat(h.countWithStatus(after, "pending")).as("entries written later wait").isEqualTo(after.size());
        h.workers.wake();
        Await.holdsFor("they keep waiting while paused", Duration.ofMillis(500), () -> h.countWithStatus(after, "pending") == after.size());
        assertThat(h.workers.queue().pending()).isEqualTo(after.size());

        h.workers.resumeAll(OpsHarness.OPERATOR);
        Await.until("resume embeds the rest", WAIT, () -> h.countWithStatus(after, "embedded") == after.size());
        assertThat(h.workers.paused()).isFalse();
    }

    @Test
    void olderEntriesWrittenDuringADrainDoNotStarveIt() {
        // Batch size 4: a claim that looked only at the oldest pending rows and filtered by the drain set afterwards
        // saw nothing but these older, later entries and never finished the drain.
        List<String> before = drainHeldInFlight(2, "pending before the drain", 30);
        Instant longAgo = Instant.now().minus(Duration.ofDays(365));
        List<String> olderButLater = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            olderButLater.add(h.insertPending("imported during the drain, last updated long ago " + i, longAgo.plusSeconds(i)));
        }
        h.embedder.openGate();

        awaitDrainFinished();
        assertThat(h.countWithStatus(before, "embedded")).as("every entry pending at the request").isEqualTo(before.size());
        assertThat(h.countWithStatus(olderButLater, "pending")).as("entries written later wait").isEqualTo(olderButLater.size());
        h.workers.resumeAll(OpsHarness.OPERATOR);
        Await.until("resume embeds the rest", WAIT, () -> h.countWithStatus(olderButLater, "embedded") == olderButLater.size());
    }

    @Test
    void entriesDeletedDuringADrainLeaveIt() {
        List<String> before = drainHeldInFlight(1, "pending before the drain", 12);
        List<String> deleted = before.subList(6, 12);
        deleted.forEach(id -> h.sql.exec("DELETE FROM experiences WHERE id = ?", id));
        h.embedder.openGate();

        awaitDrainFinished();
        assertThat(h.countWithStatus(before.subList(0, 6), "embedded")).isEqualTo(6);
    }

    @Test
    void aDrainLiftsTheOperatorsSingleWorkerPausesAndFinishes() {
        // Every worker paused one by one: a drain that kept those pauses drained nothing and showed "draining" forever.
        h = new OpsHarness(1);
        h.workers.pause(OpsHarness.OPERATOR, "worker-1");
        Await.until("worker-1 paused", WAIT, () -> h.allWorkers("paused"));
        List<String> before = h.insertPending("pending before the drain", 6);

        h.workers.drain(OpsHarness.OPERATOR);
        awaitDrainFinished();
        assertThat(h.countWithStatus(before, "embedded")).as("every entry pending at the request").isEqualTo(before.size());
        assertThat(h.sql.rows("SELECT details_json FROM audit_log WHERE action = 'workers.drain'").getFirst()
                .get("details_json").toString()).contains("\"worker_pauses_lifted\":[\"worker-1\"]");

        h.workers.resumeAll(OpsHarness.OPERATOR);
        List<String> later = h.insertPending("after the resume", 2);
        Await.until("worker-1 runs again after resume", WAIT, () -> h.countWithStatus(later, "embedded") == later.size());
    }

    @Test
    void aDrainDoesNotLiftAJobsPause() throws InterruptedException {
        h = new OpsHarness(1);
        h.workers.pause(OpsHarness.OPERATOR, "worker-1");
        Await.until("worker-1 paused", WAIT, () -> h.allWorkers("paused"));
        List<String> before = h.insertPending("pending before the drain", 6);

        try (PauseToken job = h.workers.quiesce()) {
            h.workers.drain(OpsHarness.OPERATOR);
            Await.holdsFor("nothing drains while a job holds its pause", Duration.ofSeconds(1),
                    () -> h.countWithStatus(before, "pending") == before.size() && h.workers.draining());
        }
        awaitDrainFinished();
        assertThat(h.countWithStatus(before, "embedded")).as("the drain goes on once the job's pause is back").isEqualTo(before.size());
    }

    @Test
    void aDrainClaimWhoseReadFailsReleasesItsEntries() {
        // The drain claims ids before it reads them; a read that throws (SQLITE_BUSY, a closing database) must give
        // them back, or they stay claimed until a restart and the drain never ends. The manuals table, read last,
        // is renamed away for a while to make that read fail.
        List<String> before = drainHeldInFlight(1, "pending before the drain", 12);
        h.sql.script("ALTER TABLE manuals RENAME TO manuals_away");
        try {
            h.embedder.openGate();
            Await.until("the batch in flight is embedded", WAIT, () -> h.countWithStatus(before, "embedded") == 4);
            Await.holdsFor("the next drain claims fail", Duration.ofMillis(1500),
                    () -> h.countWithStatus(before, "embedded") == 4 && h.workers.draining());
        } finally {
            h.sql.script("ALTER TABLE manuals_away RENAME TO manuals");
        }

        awaitDrainFinished();
        assertThat(h.countWithStatus(before, "embedded")).as("the entries of the failed claims too").isEqualTo(before.size());
    }

    @Test
    void drainWithNothingPendingPausesAtOnce() {
        h = new OpsHarness(1);
        h.workers.drain(OpsHarness.OPERATOR);
        awaitDrainFinished();
        List<String> later = h.insertPending("after an empty drain", 2);
        Await.holdsFor("entries wait for resume", Duration.ofMillis(400), () -> h.countWithStatus(later, "pending") == 2);
        h.workers.resumeAll(OpsHarness.OPERATOR);
        Await.until("resume embeds them", WAIT, () -> h.countWithStatus(later, "embedded") == 2);
    }

    @Test
    void entriesThatFailDuringTheDrainDoNotHoldItOpen() {
        h = new OpsHarness(1);
        pauseAllAndSettle();
        List<String> good = h.insertPending("good entry", 6);
        String bad = h.insertPending("FAIL: this one cannot be embedded");
        List<String> good2 = h.insertPending("another good entry", 3);

        h.workers.drain(OpsHarness.OPERATOR);
        awaitDrainFinished();
        assertThat(h.countWithStatus(good, "embedded") + h.countWithStatus(good2, "embedded")).isEqualTo(9);
        Map<String, Object> row = h.row(bad);
        assertThat(((Number) row.get("embedding_attempts")).intValue()).as("tried once, not waited for: %s", row).isEqualTo(1);
        assertThat(row.get("embedding_status")).as("backing off for a retry after resume").isEqualTo("pending");
        assertThat(Times.parse((String) row.get("embedding_retry_at"))).isAfter(Instant.now());
    }

    @Test
    void entriesAlreadyFailedOrBackingOffAreNotPartOfTheDrain() {
        h = new OpsHarness(1);
        pauseAllAndSettle();
        String failed = h.insertPending("already failed");
        String backingOff = h.insertPending("backing off");
        h.sql.exec("UPDATE experiences SET embedding_status = 'failed', embedding_attempts = 3 WHERE id = ?", failed);
        h.sql.exec("UPDATE experiences SET embedding_attempts = 1, embedding_retry_at = ? WHERE id = ?",
                Times.format(Instant.now().plusSeconds(3600)), backingOff);
        List<String> fresh = new ArrayList<>(h.insertPending("fresh", 4));

        h.workers.drain(OpsHarness.OPERATOR);
        awaitDrainFinished();
        assertThat(h.countWithStatus(fresh, "embedded")).isEqualTo(4);
        assertThat(h.status(failed)).isEqualTo("failed");
        assertThat(h.status(backingOff)).isEqualTo("pending");
    }

    @Test
    void pauseAllDuringADrainEndsTheDrainAndWhatItHadLeftWaitsForResume() {
        List<String> before = drainHeldInFlight(1, "before", 12);

        h.workers.pauseAll(OpsHarness.OPERATOR);
        assertThat(h.workers.draining()).as("the pause ends the drain at once").isFalse();
        assertThat(h.workers.paused()).isTrue();
        assertThat(h.workers.states()).extracting(WorkerState::status).as("the batch in flight still runs").containsExactly("running");
        h.embedder.openGate();

        Await.until("every worker reports paused", WAIT, () -> h.allWorkers("paused"));
        long embedded = h.countWithStatus(before, "embedded");
        assertThat(embedded).as("only the batch that was in flight (batch size 4)").isEqualTo(4);
        Await.holdsFor("the rest waits, and no drain comes back", Duration.ofMillis(500),
                () -> h.countWithStatus(before, "pending") == before.size() - embedded && !h.workers.draining());
        assertThat(h.sql.rows("SELECT details_json FROM audit_log WHERE action = 'workers.pause' ORDER BY id DESC").getFirst()
                .get("details_json").toString()).contains("\"drain_ended\":true").contains("\"drain_entries_left\":12");

        h.workers.resumeAll(OpsHarness.OPERATOR);
        Await.until("resume embeds the rest", WAIT, () -> h.countWithStatus(before, "embedded") == before.size());
    }

    @Test
    void resumeDuringADrainEndsTheDrainAndRunsNormally() {
        h = new OpsHarness(1);
        h.embedder.closeGate();
        pauseAllAndSettle();
        List<String> before = h.insertPending("before", 3);
        h.workers.drain(OpsHarness.OPERATOR);
        Await.until("a drain batch is in flight", WAIT, () -> h.embedder.inFlight() >= 1);
        h.workers.resumeAll(OpsHarness.OPERATOR);
        assertThat(h.workers.draining()).isFalse();
        List<String> after = h.insertPending("after", 3);
        h.embedder.openGate();
        Await.until("everything is embedded and the workers keep running", WAIT,
                () -> h.countWithStatus(before, "embedded") == 3 && h.countWithStatus(after, "embedded") == 3);
        assertThat(h.workers.paused()).isFalse();
    }
}
