package dev.chl.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.model.Actor;
import dev.chl.testing.MutableClock;
import dev.chl.testing.OpsHarness;
import dev.chl.testing.Await;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * OpsJobs that quiesce the embedding workers (DESIGN §5): the workers pause and no batch is in flight while the job
 * runs; the job's pause token always comes back (success, failure, cancel, timeout); an operator's pause — taken
 * before or during the job — is not undone by the job's resume; two jobs' tokens are counted.
 */
class QuiesceAroundJobsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Actor ACTOR = OpsHarness.OPERATOR;

    private OpsHarness h;

    @AfterEach
    void close() {
        if (h != null) {
            h.close();
        }
    }

    private Operations operations(Clock clock, ConcurrentLinkedQueue<ScriptedJob.Gate> gates) {
        return h.operations(clock, List.of(
                new ScriptedJob(JobType.BACKUP, gates::remove),
                new ScriptedJob(JobType.EXPORT, gates::remove)));
    }

    private static String status(Operations ops, String id) {
        return (String) ops.get(id).get("status");
    }

    private static Map<String, Object> awaitFinished(Operations ops, String id) {
        return Await.until("job " + id + " to finish", WAIT, () -> ops.get(id),
                j -> JobStatus.fromWire("status", (String) j.get("status")).finished());
    }

    private void assertWorkersStayPaused(List<String> pendingIds) {
        h.workers.wake();
        Await.holdsFor("workers stay paused and embed nothing", Duration.ofMillis(600),
                () -> h.workers.paused() && h.countWithStatus(pendingIds, "pending") == pendingIds.size());
        Await.until("every worker reports paused", WAIT, () -> h.allWorkers("paused"));
    }

    private void assertWorkersResumeAndEmbed(List<String> pendingIds) {
        Await.until("the workers to resume and embed what waited", WAIT,
                () -> !h.workers.paused() && h.countWithStatus(pendingIds, "embedded") == pendingIds.size());
        assertThat(h.workers.states()).noneMatch(w -> w.status().equals("paused"));
    }

    @Test
    void quiesceWaitsForTheBatchInFlightThenNoBatchRunsWhileTheJobHoldsTheWorkers() throws Exception {
        h = new OpsHarness(2);
        ConcurrentLinkedQueue<ScriptedJob.Gate> gates = new ConcurrentLinkedQueue<>();
        Operations ops = operations(Clock.systemUTC(), gates);
        h.embedder.closeGate();
        List<String> first = h.insertPending("held batch", 3);
        Await.until("a batch is in flight in the model", WAIT, () -> h.embedder.inFlight() >= 1);

        ScriptedJob.Gate gate = new ScriptedJob.Gate(true);
        gates.add(gate);
        String id = (String) ops.start(ACTOR, JobType.BACKUP, Map.of()).get("job_id");
        Await.holdsFor("quiesce waits while a batch is in flight", Duration.ofMillis(400), () -> gate.reached.getCount() == 1);
        assertThat(h.workers.paused()).as("the job's pause counts at once").isTrue();
        assertThat(status(ops, id)).isEqualTo("running");

        int batchesBefore = h.embedder.batches();
        h.embedder.openGate();
        gate.awaitReached();
        assertThat(h.embedder.inFlight()).as("quiesce returned: no batch in flight").isZero();
        Await.until("the held batch was stored", WAIT, () -> h.countWithStatus(first, "embedded") >= 1);
        Await.until("every worker reports paused", WAIT, () -> h.allWorkers("paused"));

        List<String> later = h.insertPending("written during the job", 5);
        int batchesAtQuiesce = h.embedder.batches();
        assertWorkersStayPaused(later);
        assertThat(h.embedder.batches()).as("no new batch started while quiesced").isEqualTo(batchesAtQuiesce);
        assertThat(batchesAtQuiesce).isGreaterThanOrEqualTo(batchesBefore);

        gate.finishAs(ScriptedJob.Ending.SUCCEED);
        assertThat(awaitFinished(ops, id).get("status")).isEqualTo("succeeded");
        assertWorkersResumeAndEmbed(later);
        Await.until("the first entries are embedded too", WAIT, () -> h.countWithStatus(first, "embedded") == first.size());
    }

    @ParameterizedTest(name = "job ends {0}")
    @ValueSource(strings = {"succeeded", "failed", "cancelled", "timed_out"})
    void theJobsPauseTokenIsReturnedHoweverTheJobEnds(String outcome) throws Exception {
        h = new OpsHarness(1);
        MutableClock clock = new MutableClock(Instant.now());
        ConcurrentLinkedQueue<ScriptedJob.Gate> gates = new ConcurrentLinkedQueue<>();
        Operations ops = operations(clock, gates);
        ScriptedJob.Gate gate = new ScriptedJob.Gate(true);
        gates.add(gate);
        AtomicReference<Boolean> pausedWhenCodeStopped = new AtomicReference<>();
        gate.onStop = () -> pausedWhenCodeStopped.set(h.workers.paused());

        String id = (String) ops.start(ACTOR, JobType.BACKUP, Map.of()).get("job_id");
        gate.awaitReached();
        List<String> waiting = h.insertPending("waits for the job", 3);
        assertWorkersStayPaused(waiting);

        switch (outcome) {
            case "succeeded" -> gate.finishAs(ScriptedJob.Ending.SUCCEED);
            case "failed" -> gate.finishAs(ScriptedJob.Ending.FAIL);
            case "cancelled" -> {
                ops.cancel(ACTOR, id);
                assertThat(status(ops, id)).isEqualTo("cancel_requested");
                gate.finishAs(ScriptedJob.Ending.CHECKPOINT);
            }
            case "timed_out" -> {
                clock.advance(Duration.ofSeconds(h.settings.operations().jobTimeoutSeconds() + 1));
                gate.finishAs(ScriptedJob.Ending.CHECKPOINT);
            }
            default -> throw new IllegalArgumentException(outcome);
        }
        Map<String, Object> job = awaitFinished(ops, id);
        assertThat(job.get("status")).as("%s", job).isEqualTo(outcome);
        assertThat(pausedWhenCodeStopped.get()).as("the workers stay paused until the job's code has stopped").isTrue();
        assertWorkersResumeAndEmbed(waiting);
    }

    @Test
    void anOperatorPauseInPlaceBeforeTheJobSurvivesTheJobsResume() throws Exception {
        h = new OpsHarness(2);
        ConcurrentLinkedQueue<ScriptedJob.Gate> gates = new ConcurrentLinkedQueue<>();
        Operations ops = operations(Clock.systemUTC(), gates);
        h.workers.pauseAll(ACTOR);
        Await.until("every worker reports paused", WAIT, () -> h.allWorkers("paused"));

        ScriptedJob.Gate gate = new ScriptedJob.Gate(true);
        gates.add(gate);
        String id = (String) ops.start(ACTOR, JobType.BACKUP, Map.of()).get("job_id");
        gate.awaitReached();
        gate.finishAs(ScriptedJob.Ending.SUCCEED);
        assertThat(awaitFinished(ops, id).get("status")).isEqualTo("succeeded");

        List<String> waiting = h.insertPending("written after the job", 3);
        assertThat(h.workers.paused()).as("the operator's pause is still in place").isTrue();
        assertWorkersStayPaused(waiting);

        h.workers.resumeAll(ACTOR);
        assertWorkersResumeAndEmbed(waiting);
    }

    @Test
    void anOperatorPauseTakenDuringTheJobSurvivesTheJobsResume() throws Exception {
        h = new OpsHarness(2);
        ConcurrentLinkedQueue<ScriptedJob.Gate> gates = new ConcurrentLinkedQueue<>();
        Operations ops = operations(Clock.systemUTC(), gates);
        ScriptedJob.Gate gate = new ScriptedJob.Gate(true);
        gates.add(gate);
        String id = (String) ops.start(ACTOR, JobType.BACKUP, Map.of()).get("job_id");
        gate.awaitReached();
        h.workers.pauseAll(ACTOR);
        gate.finishAs(ScriptedJob.Ending.FAIL);
        assertThat(awaitFinished(ops, id).get("status")).isEqualTo("failed");

        List<String> waiting = h.insertPending("written after the failed job", 3);
        assertWorkersStayPaused(waiting);

        h.workers.resumeAll(ACTOR);
        assertWorkersResumeAndEmbed(waiting);
    }

    @Test
    void twoJobsPauseTokensAreCountedTheWorkersResumeOnlyWhenBothAreBack() throws Exception {
        h = new OpsHarness(1);
        ConcurrentLinkedQueue<ScriptedJob.Gate> gates = new ConcurrentLinkedQueue<>();
        Operations ops = operations(Clock.systemUTC(), gates);
        ScriptedJob.Gate first = new ScriptedJob.Gate(true);
        ScriptedJob.Gate second = new ScriptedJob.Gate(true);
        gates.add(first);
        String firstId = (String) ops.start(ACTOR, JobType.BACKUP, Map.of()).get("job_id");
        first.awaitReached();
        gates.add(second);
        String secondId = (String) ops.start(ACTOR, JobType.EXPORT, Map.of()).get("job_id");
        second.awaitReached();

        first.finishAs(ScriptedJob.Ending.SUCCEED);
        assertThat(awaitFinished(ops, firstId).get("status")).isEqualTo("succeeded");
        List<String> waiting = h.insertPending("waits for the second job", 2);
        assertWorkersStayPaused(waiting);

        ops.cancel(ACTOR, secondId);
        second.finishAs(ScriptedJob.Ending.CHECKPOINT);
        assertThat(awaitFinished(ops, secondId).get("status")).isEqualTo("cancelled");
        assertWorkersResumeAndEmbed(waiting);
    }

    @Test
    void aJobThatDoesNotQuiesceLeavesTheWorkersRunning() throws Exception {
        h = new OpsHarness(1);
        ConcurrentLinkedQueue<ScriptedJob.Gate> gates = new ConcurrentLinkedQueue<>();
        Operations ops = operations(Clock.systemUTC(), gates);
        ScriptedJob.Gate gate = new ScriptedJob.Gate(false);
        gates.add(gate);
        String id = (String) ops.start(ACTOR, JobType.BACKUP, Map.of()).get("job_id");
        gate.awaitReached();
        List<String> during = h.insertPending("embedded during the job", 3);
        assertWorkersResumeAndEmbed(during);
        gate.finishAs(ScriptedJob.Ending.SUCCEED);
        assertThat(awaitFinished(ops, id).get("status")).isEqualTo("succeeded");
    }
}
