package dev.chl.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chl.common.ConflictException;
import dev.chl.common.Times;
import dev.chl.model.Actor;
import dev.chl.telemetry.EventBus;
import dev.chl.testing.MutableClock;
import dev.chl.testing.OpsHarness;
import dev.chl.testing.Await;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A job's life in the operations facade with scripted bodies: cooperative cancel and timeout at checkpoints, the lock
 * held until the job's code has stopped and released however it ends, lease renewal, history, audit and live events.
 */
class OperationsLifecycleTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Actor ACTOR = new Actor("lifecycle-tester", dev.chl.model.Channel.CLI);

    private OpsHarness h;
    private MutableClock clock;
    private final ConcurrentLinkedQueue<ScriptedJob.Gate> gates = new ConcurrentLinkedQueue<>();
    private Operations ops;

    @BeforeEach
    void open() {
        h = new OpsHarness(0);
        clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
        ops = h.operations(clock, List.of(new ScriptedJob(JobType.BACKUP, gates::remove)));
    }

    @AfterEach
    void close() {
        gates.forEach(g -> g.finishAs(ScriptedJob.Ending.SUCCEED));
        h.close();
    }

    private ScriptedJob.Gate gate() {
        ScriptedJob.Gate gate = new ScriptedJob.Gate(false);
        gates.add(gate);
        return gate;
    }

    private String start() {
        return (String) ops.start(ACTOR, JobType.BACKUP, Map.of()).get("job_id");
    }

    private Map<String, Object> awaitFinished(String id) {
        return Await.until("job " + id + " to finish", WAIT, () -> ops.get(id),
                j -> JobStatus.fromWire("status", (String) j.get("status")).finished());
    }

    private long locksOf(String jobId) {
        return h.sql.count("SELECT count(*) FROM operation_locks WHERE owner_job_id = ?", jobId);
    }

    @Test
    void aRunningJobHoldsItsLockAsALeaseAndAnotherStartIsAConflictNamingIt() throws Exception {
        ScriptedJob.Gate gate = gate();
        String id = start();
        gate.awaitReached();
        Map<String, Object> lease = h.sql.rows("SELECT name, owner_job_id, acquired_at, expires_at FROM operation_locks").getFirst();
        assertThat(lease).containsEntry("name", "backup").containsEntry("owner_job_id", id);
        assertThat(Times.parse((String) lease.get("expires_at"))).isEqualTo(clock.instant().plus(Operations.LEASE));

        assertThatThrownBy(() -> ops.start(ACTOR, JobType.BACKUP, Map.of()))
                .isInstanceOfSatisfying(ConflictException.class, e -> {
                    assertThat(e.extensions()).containsEntry("holder_job_id", id).containsEntry("lock", "backup");
                    assertThat(e.getMessage()).contains(id);
                });
        gate.finishAs(ScriptedJob.Ending.SUCCEED);
        assertThat(awaitFinished(id).get("status")).isEqualTo("succeeded");
        assertThat(locksOf(id)).isZero();
    }

    @Test
    void leasesAreRenewedWhileTheJobRuns() throws Exception {
        ScriptedJob.Gate gate = gate();
        String id = start();
        gate.awaitReached();
        clock.advance(Duration.ofSeconds(45));
        ops.renewLeases();
        String expires = (String) h.sql.rows("SELECT expires_at FROM operation_locks WHERE owner_job_id = ?", id).getFirst().get("expires_at");
        assertThat(Times.parse(expires)).isEqualTo(clock.instant().plus(Operations.LEASE));
        gate.finishAs(ScriptedJob.Ending.SUCCEED);
        awaitFinished(id);
    }

    @Test
    void cancelAsksTheJobStopsAtItsCheckpointAndOnlyThenReleasesTheLock() throws Exception {
        ScriptedJob.Gate gate = gate();
        AtomicLong locksWhenCodeStopped = new AtomicLong(-1);
        String id = start();
        gate.onStop = () -> locksWhenCodeStopped.set(locksOf(id));
        gate.awaitReached();

        Map<String, Object> asked = ops.cancel(ACTOR, id);
        assertThat(asked.get("status")).isEqualTo("cancel_requested");
        assertThat(asked.get("cancel_requested")).isEqualTo(true);
        Await.holdsFor("the job is still cancel_requested and holds its lock while its code runs", Duration.ofMillis(300),
                () -> "cancel_requested".equals(ops.get(id).get("status")) && locksOf(id) == 1);
        assertThatThrownBy(() -> ops.start(ACTOR, JobType.BACKUP, Map.of())).isInstanceOf(ConflictException.class);

        gate.finishAs(ScriptedJob.Ending.CHECKPOINT);
        Map<String, Object> done = awaitFinished(id);
        assertThat(done.get("status")).isEqualTo("cancelled");
        assertThat((String) done.get("error")).contains("cancelled");
        assertThat(done.get("finished_at")).isNotNull();
        assertThat(locksWhenCodeStopped.get()).as("the lock was still held when the code stopped").isEqualTo(1);
        assertThat(locksOf(id)).isZero();

        ScriptedJob.Gate next = gate();
        String nextId = start();
        next.finishAs(ScriptedJob.Ending.SUCCEED);
        assertThat(awaitFinished(nextId).get("status")).isEqualTo("succeeded");
        assertThatThrownBy(() -> ops.cancel(ACTOR, id)).isInstanceOf(ConflictException.class).hasMessageContaining("already finished");
    }

    @Test
    void aCancelledJobThatFinishesBeforeAnyCheckpointEndsAsWhatItReached() throws Exception {
        ScriptedJob.Gate gate = gate();
        String id = start();
        gate.awaitReached();
        ops.cancel(ACTOR, id);
        gate.finishAs(ScriptedJob.Ending.SUCCEED);
        Map<String, Object> done = awaitFinished(id);
        assertThat(done.get("status")).isEqualTo("succeeded");
        assertThat(done.get("cancel_requested")).isEqualTo(true);
        assertThat(locksOf(id)).isZero();
    }

    /**
     * A cancel writes "cancel_requested", then publishes it; a job that ends in between publishes its final state
     * first. The cancel's row must not follow it on the live channel, or a client keeping each job's newest event shows
     * the job as forever cancel_requested.
     */
    @Test
    void aCancelWhoseJobEndsBeforeItPublishesNeverPublishesAfterTheFinalEvent() throws Exception {
        ScriptedJob.Gate gate = gate();
        String id = start();
        gate.awaitReached();
        var events = h.bus.subscribe(java.util.Set.of("jobs"), dev.chl.telemetry.EventBus.FROM_NOW);
        // The job ends between the cancel's write and its publication (it never reaches a checkpoint, so it succeeds).
        ops.beforeCancelPublish = () -> {
            gate.finishAs(ScriptedJob.Ending.SUCCEED);
            awaitFinished(id);
        };

        ops.cancel(ACTOR, id);

        List<String> statuses = new java.util.ArrayList<>();
        for (var e : events.drain()) {
            if (e.data().contains(id) && !e.type().equals("job.progress")) {
                statuses.add(e.type());
            }
        }
        assertThat(statuses).as("status events of the job").isNotEmpty().last().isEqualTo("job.succeeded");
        events.close();
    }

    /** DESIGN §3: a finished job points at its telemetry — its first and last event ids and its worker_metrics window. */
    @Test
    void aFinishedJobPointsAtItsEventsAndItsWorkerMetricsWindow() throws Exception {
        var events = h.bus.subscribe(java.util.Set.of("jobs"), dev.chl.telemetry.EventBus.FROM_NOW);
        ScriptedJob.Gate gate = gate();
        String id = start();
        gate.awaitReached();
        gate.finishAs(ScriptedJob.Ending.SUCCEED);
        awaitFinished(id);

        @SuppressWarnings("unchecked")
        Map<String, Object> telemetry = Await.until("the telemetry pointer", WAIT, () -> (Map<String, Object>) ops.get(id).get("telemetry"),
                java.util.Objects::nonNull);
        List<dev.chl.telemetry.EventBus.Event> mine = events.drain().stream().filter(e -> e.data().contains(id)).toList();
        assertThat(telemetry.get("events")).isEqualTo(Map.of("topic", "jobs",
                "first_event_id", mine.getFirst().id(), "last_event_id", mine.getLast().id()));
        assertThat(mine.getFirst().type()).isEqualTo("job.queued");
        assertThat(mine.getLast().type()).isEqualTo("job.succeeded");
        Map<String, Object> job = ops.get(id);
        assertThat(telemetry.get("worker_metrics")).isEqualTo(Map.of("from", job.get("started_at"), "to", job.get("finished_at")));
        assertThat(h.sql.count("SELECT count(*) FROM job_history WHERE job_id = ? AND telemetry_json IS NOT NULL", id)).isEqualTo(1);
        events.close();
    }

    @Test
    void aJobPastItsTimeoutEndsTimedOutAtItsNextCheckpointAndReleasesItsLock() throws Exception {
        h.settings.updateOperations(ACTOR, Map.of("job_timeout_seconds", 5));
        ScriptedJob.Gate gate = gate();
        String id = start();
        gate.awaitReached();
        clock.advance(Duration.ofSeconds(6));
        assertThat(ops.get(id).get("status")).as("a timeout is noticed at a checkpoint").isEqualTo("running");
        gate.finishAs(ScriptedJob.Ending.CHECKPOINT);
        Map<String, Object> done = awaitFinished(id);
        assertThat(done.get("status")).isEqualTo("timed_out");
        assertThat((String) done.get("error")).contains("timeout").contains("job_timeout_seconds");
        assertThat(locksOf(id)).isZero();
    }

    @Test
    void aJobWithinItsTimeoutPassesItsCheckpoints() throws Exception {
        h.settings.updateOperations(ACTOR, Map.of("job_timeout_seconds", 5));
        ScriptedJob.Gate gate = gate();
        String id = start();
        gate.awaitReached();
        clock.advance(Duration.ofSeconds(4));
        gate.finishAs(ScriptedJob.Ending.CHECKPOINT);
        assertThat(awaitFinished(id).get("status")).isEqualTo("succeeded");
    }

    @Test
    void aFailingJobRecordsItsErrorReleasesItsLockAndIsAudited() throws Exception {
        ScriptedJob.Gate gate = gate();
        String id = start();
        gate.awaitReached();
        gate.finishAs(ScriptedJob.Ending.FAIL);
        Map<String, Object> done = awaitFinished(id);
        assertThat(done.get("status")).isEqualTo("failed");
        assertThat(done.get("error")).isEqualTo("IllegalStateException: boom (scripted failure)");
        assertThat(done.get("result_summary")).isNull();
        assertThat(locksOf(id)).isZero();

        List<Map<String, Object>> audit = h.sql.rows("SELECT actor, source, action, details_json FROM audit_log"
                + " WHERE action LIKE 'job.%' ORDER BY id");
        assertThat(audit).extracting(r -> r.get("action")).containsExactly("job.start", "job.finish");
        assertThat(audit).allSatisfy(r -> {
            assertThat(r.get("actor")).isEqualTo("lifecycle-tester");
            assertThat(r.get("source")).isEqualTo("cli");
            assertThat((String) r.get("details_json")).contains(id);
        });
        assertThat((String) audit.get(1).get("details_json")).contains("\"status\":\"failed\"").contains("boom");
    }

    @Test
    void theJobsLifeIsPublishedOnTheJobsTopicInOrder() throws Exception {
        try (EventBus.Subscription sub = h.bus.subscribe(Set.of("jobs"), 0)) {
            ScriptedJob.Gate gate = gate();
            String id = start();
            gate.awaitReached();
            gate.finishAs(ScriptedJob.Ending.SUCCEED);
            awaitFinished(id);
            List<EventBus.Event> events = new ArrayList<>();
            Await.until("the job.succeeded event", WAIT, () -> {
                events.addAll(sub.drain());
                return events.stream().anyMatch(e -> e.type().equals("job.succeeded"));
            });
            List<String> types = events.stream().filter(e -> e.data().contains(id)).map(EventBus.Event::type).toList();
            assertThat(types.getFirst()).isEqualTo("job.queued");
            assertThat(types.getLast()).isEqualTo("job.succeeded");
            assertThat(types).containsSubsequence("job.queued", "job.running", "job.progress", "job.succeeded");
            assertThat(events).extracting(EventBus.Event::id).isSorted().doesNotHaveDuplicates();
            JsonNode last = h.json.readTree(events.stream().filter(e -> e.type().equals("job.succeeded")).findFirst().orElseThrow().data());
            assertThat(last.path("job_id").asString()).isEqualTo(id);
            assertThat(last.path("progress").path("percent").asInt()).isEqualTo(100);
        }
    }

    @Test
    void closingCancelsRunningJobsAndRefusesNewOnes() throws Exception {
        ScriptedJob.Gate gate = gate();
        String id = start();
        gate.awaitReached();
        Thread closer = Thread.ofVirtual().start(ops::close);
        Await.until("shutdown to ask the job to stop", WAIT, () -> "cancel_requested".equals(ops.get(id).get("status")));
        gate.finishAs(ScriptedJob.Ending.CHECKPOINT);
        closer.join(Duration.ofSeconds(15));
        assertThat(closer.isAlive()).isFalse();
        assertThat(ops.get(id).get("status")).isEqualTo("cancelled");
        assertThat(locksOf(id)).isZero();
        assertThatThrownBy(() -> ops.start(ACTOR, JobType.BACKUP, Map.of())).isInstanceOf(ConflictException.class)
                .hasMessageContaining("shutting down");
    }

    @Test
    void anUnregisteredJobTypeIsNotFound() {
        assertThatThrownBy(() -> ops.start(ACTOR, JobType.IMPORT, Map.of())).isInstanceOf(dev.chl.common.NotFoundException.class);
    }

    @Test
    void everyJobIsAHistoryRowFromTheMomentItIsAskedFor() throws Exception {
        ScriptedJob.Gate gate = gate();
        Map<String, Object> started = ops.start(ACTOR, JobType.BACKUP, Map.of());
        String id = (String) started.get("job_id");
        Map<String, Object> row = h.sql.rows("SELECT job_type, triggered_by, source, created_at FROM job_history WHERE job_id = ?", id).getFirst();
        assertThat(row).containsEntry("job_type", "backup").containsEntry("triggered_by", "lifecycle-tester").containsEntry("source", "cli")
                .containsEntry("created_at", Times.format(clock.instant()));
        gate.finishAs(ScriptedJob.Ending.SUCCEED);
        awaitFinished(id);
    }
}
