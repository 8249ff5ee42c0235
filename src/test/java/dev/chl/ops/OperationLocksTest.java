package dev.chl.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chl.common.ConflictException;

import dev.chl.common.Times;
import dev.chl.testing.Http;
import dev.chl.testing.OpsJobs;
import dev.chl.testing.ServerExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Advisory locks as leases in operation_locks: a job that needs a lock another job holds gets 409 naming the holder;
 * an expired lease is no longer held; jobs with other locks are not affected; a finished job holds nothing.
 */
class OperationLocksTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final AtomicInteger NEXT = new AtomicInteger();

    @RegisterExtension
    static final ServerExtension server = ServerExtension.perClass();

    @BeforeAll
    static void awaitIdle() {
        OpsJobs.awaitIdle(server.http(), Duration.ofSeconds(60));
    }

    /** A job row and a lease on {@code lock} as another process (or a job of this one) would hold them. */
    private static String holdLock(String lock, String jobType, Duration leaseLeft) {
        String id = "JOB-20260101-000000000-h" + String.format("%03d", NEXT.getAndIncrement());
        Instant now = Instant.now();
        server.db().exec("INSERT INTO job_history (job_id, job_type, status, triggered_by, source, options_json, created_at, started_at)"
                + " VALUES (?, ?, 'running', 'other-process', 'cli', '{}', ?, ?)", id, jobType, Times.format(now), Times.format(now));
        server.db().exec("INSERT INTO operation_locks (name, owner_job_id, acquired_at, expires_at) VALUES (?, ?, ?, ?)",
                lock, id, Times.format(now), Times.format(now.plus(leaseLeft)));
        return id;
    }

    private static void release(String holder) {
        server.db().exec("DELETE FROM operation_locks WHERE owner_job_id = ?", holder);
        server.db().exec("UPDATE job_history SET status = 'failed', finished_at = ?, error = 'test holder' WHERE job_id = ?",
                Times.format(Instant.now()), holder);
    }

    private static long jobCount(String type) {
        return server.db().count("SELECT count(*) FROM job_history WHERE job_type = ?", type);
    }

    @Test
    void aJobNeedingAHeldLockGets409ProblemNamingTheHolder() {
        String holder = holdLock("backup", "backup", Duration.ofMinutes(5));
        try {
            long before = jobCount("backup");
            Http.Response r = server.http().post("/api/v1/operations/backup", Map.of());
            assertThat(r.status()).as("%s", r).isEqualTo(409);
            assertThat(r.isProblem()).as("%s", r).isTrue();
            JsonNode problem = r.json();
            assertThat(problem.path("status").asInt()).isEqualTo(409);
            assertThat(problem.path("holder_job_id").asString()).isEqualTo(holder);
            assertThat(problem.path("lock").asString()).isEqualTo("backup");
            assertThat(problem.path("detail").asString()).contains(holder);
            assertThat(jobCount("backup")).as("a refused start leaves no job behind").isEqualTo(before);
            assertThat(server.db().rows("SELECT owner_job_id FROM operation_locks WHERE name = 'backup'"))
                    .as("the holder keeps its lease").singleElement().extracting(m -> m.get("owner_job_id")).isEqualTo(holder);
        } finally {
            release(holder);
        }
        OpsJobs.run(server.http(), "backup", Map.of());
    }

    @Test
    void theIndexLockBlocksAnIndexRebuildButNotJobsWithOtherLocks() {
        String holder = holdLock("index", "index-rebuild", Duration.ofMinutes(5));
        try {
            Http.Response r = server.http().post("/api/v1/operations/index-rebuild", Map.of());
            assertThat(r.status()).as("%s", r).isEqualTo(409);
            assertThat(r.json().path("holder_job_id").asString()).isEqualTo(holder);
            assertThat(r.json().path("lock").asString()).isEqualTo("index");

            OpsJobs.run(server.http(), "backup", Map.of());
            OpsJobs.run(server.http(), "embeddings-sync", Map.of());
        } finally {
            release(holder);
        }
        OpsJobs.run(server.http(), "index-rebuild", Map.of());
    }

    @Test
    void aHoldForAShortActionKeepsOutJobsNeedingItsLocksOnlyWhileItLasts() {
        Operations operations = server.server().app().services().operations();
        long rebuilds = jobCount("index-rebuild");
        try (Operations.Held held = operations.hold(JobType.INDEX_REBUILD, "installing an index snapshot")) {
            Http.Response r = server.http().post("/api/v1/operations/index-rebuild", Map.of());
            assertThat(r.status()).as("%s", r).isEqualTo(409);
            assertThat(r.isProblem()).isTrue();
            assertThat(r.json().path("lock").asString()).isEqualTo("index");
            assertThat(r.json().path("detail").asString()).contains("installing an index snapshot");
            assertThat(jobCount("index-rebuild")).isEqualTo(rebuilds);
            assertThat(operations.blockers().get(JobType.INDEX_REBUILD)).contains("installing an index snapshot");
            assertThatThrownBy(() -> operations.hold(JobType.INDEX_REBUILD, "installing another snapshot"))
                    .isInstanceOf(ConflictException.class).hasMessageContaining("installing an index snapshot");

            OpsJobs.run(server.http(), "backup", Map.of());
        }
        OpsJobs.run(server.http(), "index-rebuild", Map.of());
    }

    @Test
    void aHoldIsRefusedNamingTheJobThatHoldsItsLock() {
        String holder = holdLock("index", "index-rebuild", Duration.ofMinutes(5));
        try {
            assertThatThrownBy(() -> server.server().app().services().operations().hold(JobType.INDEX_REBUILD, "installing an index snapshot"))
                    .isInstanceOfSatisfying(ConflictException.class, e -> {
                        assertThat(e.extensions()).containsEntry("holder_job_id", holder).containsEntry("lock", "index");
                        assertThat(e.getMessage()).contains(holder).contains("installing an index snapshot");
                    });
        } finally {
            release(holder);
        }
    }

    @Test
    void anExpiredLeaseIsNoLongerHeldAndIsReplaced() {
        String stale = holdLock("backup", "backup", Duration.ofSeconds(-30));
        try {
            String id = OpsJobs.start(server.http(), "backup", Map.of());
            OpsJobs.awaitStatus(server.http(), id, "succeeded", WAIT);
            assertThat(server.db().count("SELECT count(*) FROM operation_locks WHERE name = 'backup'"))
                    .as("the expired lease was replaced and the new one released at the end").isZero();
        } finally {
            release(stale);
        }
    }

    @Test
    void aFinishedJobHoldsNoLock() {
        String id = OpsJobs.run(server.http(), "index-rebuild", Map.of()).path("job_id").asString();
        assertThat(server.db().count("SELECT count(*) FROM operation_locks WHERE owner_job_id = ?", id)).isZero();
        String backup = OpsJobs.run(server.http(), "backup", Map.of()).path("job_id").asString();
        assertThat(server.db().count("SELECT count(*) FROM operation_locks WHERE owner_job_id = ?", backup)).isZero();
    }
}
