package dev.chl.workers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.testing.Await;
import dev.chl.testing.ChlApi;
import dev.chl.testing.Http;
import dev.chl.testing.ServerExtension;
import dev.chl.testing.SqliteFile;
import dev.chl.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** {@code /api/v1/workers}: pause and resume (all or one), drain, retry-failed, and the heartbeats behind the status. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkersApiTest {
    private static final Duration HOLD = Duration.ofMillis(1500);
    private final AtomicInteger counter = new AtomicInteger();

    @RegisterExtension
    static final ServerExtension server = ServerExtension.perClass();

    @BeforeAll
    void category() {
        server.api().category("WKA");
        server.api().awaitQueueEmpty();
    }

    @AfterEach
    void backToRunning() {
        server.api().workerControl("resume");
        server.api().workerControl("retry-failed");
        server.api().awaitQueueEmpty();
        assertThat(server.api().workers().path("queue").path("failed").asLong()).isZero();
    }

    private String entry() {
        int n = counter.incrementAndGet();
        return server.api().experience("WKA", "Worker test entry number " + n + " " + "xyz".repeat(n % 5),
                "Playbook text for worker test " + n + ": keep the queue moving and watch item " + n + ".");
    }

    private void awaitStatus(String worker, String status) {
        Await.until(worker + " " + status, Duration.ofSeconds(5),
                () -> server.api().worker(worker).path("status").asString(), status::equals);
    }

    private void assertStaysPending(String... ids) {
        Await.holdsFor(String.join(", ", ids) + " pending", HOLD,
                () -> List.of(ids).stream().allMatch(id -> server.api().embeddingStatus(id).equals("pending")));
    }

    private void markFailed(String id) {
        int rows = SqliteFile.update(server.server().databaseFile(),
                "UPDATE experiences SET embedding_status = 'failed', embedding_attempts = 3,"
                + " embedding_error = 'simulated: model crashed' WHERE id = ?", id);
        assertThat(rows).isEqualTo(1);
    }

    @Test
    void stateListsTheWorkerAndTheQueue() throws InterruptedException {
        // The seeded guides are embedded in the background just after start-up; wait for that, then read the state.
        JsonNode state = server.api().workers();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while ((state.path("queue").path("pending").asLong() > 0 || state.path("workers").get(0).path("processed").asLong() < 2)
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
            state = server.api().workers();
        }

        assertThat(state.path("workers")).hasSize(1);
        JsonNode w = state.path("workers").get(0);
        assertThat(w.path("id").asString()).isEqualTo("worker-1");
        assertThat(w.path("status").asString()).isIn("running", "idle");
        assertThat(w.path("processed").asLong()).as("the two seeded guides").isGreaterThanOrEqualTo(2);
        assertThat(w.path("failed").asLong()).isZero();
        assertThat(w.path("stale").asBoolean()).isFalse();
        assertThat(state.path("queue").path("pending").asLong()).isZero();
        assertThat(state.path("draining").asBoolean()).isFalse();
        assertThat(state.path("recent_failures").isArray()).isTrue();
    }

    @Test
    void pauseAllKeepsEntriesPendingUntilResume() {
        JsonNode paused = server.api().workerControl("pause");
        assertThat(paused.path("workers").isArray()).isTrue();
        awaitStatus("worker-1", "paused");

        String a = entry();
        String b = entry();

        assertStaysPending(a, b);
        assertThat(server.api().workers().path("queue").path("pending").asLong()).isEqualTo(2);
        assertThat(server.api().index().path("pending").asLong()).isEqualTo(2);

        server.api().workerControl("resume");
        server.api().awaitEmbedded(a, b);
        assertThat(server.api().worker("worker-1").path("status").asString()).isNotEqualTo("paused");
        assertThat(server.api().workers().path("queue").path("pending").asLong()).isZero();
    }

    @Test
    void pauseAndResumeOneWorker() {
        server.api().workerControl("worker-1/pause");
        awaitStatus("worker-1", "paused");
        String a = entry();
        assertStaysPending(a);

        server.api().workerControl("worker-1/resume");

        server.api().awaitEmbedded(a);
        assertThat(server.api().worker("worker-1").path("status").asString()).isNotEqualTo("paused");
    }

    @Test
    void resumeAllAlsoResumesASingleWorkerPause() {
        server.api().workerControl("worker-1/pause");
        awaitStatus("worker-1", "paused");
        String a = entry();

        server.api().workerControl("resume");

        server.api().awaitEmbedded(a);
    }

    @Test
    void pausingOneWorkerLeavesTheOthersWorking() {
        try (TestServer two = TestServer.start()) {
            ChlApi api2 = ChlApi.of(two);
            assertThat(api2.http().put("/api/v1/settings/workers", Map.of("count", 2)).status()).isEqualTo(200);
            two.restart();
            api2 = ChlApi.of(two);
            assertThat(api2.workers().path("workers")).extracting(w -> w.path("id").asString()).containsExactly("worker-1", "worker-2");
            api2.awaitQueueEmpty();
            api2.category("WKB");
            ChlApi c = api2;
            c.workerControl("worker-1/pause");
            Await.until("worker-1 paused", Duration.ofSeconds(5), () -> c.worker("worker-1").path("status").asString(), "paused"::equals);
            long processed1 = c.worker("worker-1").path("processed").asLong();
            long processed2 = c.worker("worker-2").path("processed").asLong();

            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ids.add(c.experience("WKB", "Second worker entry " + i, "Only the second worker is free to embed entry " + i + "."));
            }

            c.awaitEmbedded(ids);
            assertThat(c.worker("worker-1").path("processed").asLong()).isEqualTo(processed1);
            assertThat(c.worker("worker-1").path("status").asString()).isEqualTo("paused");
            assertThat(c.worker("worker-2").path("processed").asLong()).isEqualTo(processed2 + 3);
        }
    }

    @Test
    void aNewWorkerCountAppliesWithoutARestart() {
        try (TestServer other = TestServer.start()) {
            ChlApi api2 = ChlApi.of(other);
            assertThat(api2.http().put("/api/v1/settings/workers", Map.of("count", 2)).status()).isEqualTo(200);
            Await.until("two workers, both heartbeating", Duration.ofSeconds(15), () -> api2.workers().path("workers"),
                    ws -> ws.size() == 2 && ws.get(1).path("id").asString().equals("worker-2")
                            && !ws.get(1).path("last_heartbeat_at").isNull() && !ws.get(1).path("stale").asBoolean());
            assertThat(api2.http().put("/api/v1/settings/workers", Map.of("count", 1)).status()).isEqualTo(200);
            Await.until("one worker again", Duration.ofSeconds(15), () -> api2.workers().path("workers"), ws -> ws.size() == 1);
        }
    }

    @Test
    void unknownWorkerIsNotFound() {
        for (String action : List.of("pause", "resume")) {
            Http.Response r = server.http().post("/api/v1/workers/worker-99/" + action, Map.of());
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.json().path("detail").asString()).contains("worker-1");
        }
    }

    @Test
    void drainFinishesExactlyWhatWasPendingThenPauses() {
        server.api().workerControl("pause");
        awaitStatus("worker-1", "paused");
        String a = entry();
        String b = entry();
        long processedBefore = server.api().worker("worker-1").path("processed").asLong();

        server.api().workerControl("drain");
        String later = entry();

        server.api().awaitEmbedded(a, b);
        Await.until("drain finished", Duration.ofSeconds(10), () -> server.api().workers(),
                s -> !s.path("draining").asBoolean() && s.path("workers").get(0).path("status").asString().equals("paused"));
        assertStaysPending(later);
        assertThat(server.api().worker("worker-1").path("processed").asLong()).isEqualTo(processedBefore + 2);

        server.api().workerControl("resume");
        server.api().awaitEmbedded(later);
    }

    @Test
    void drainWithNothingPendingPausesAtOnce() {
        server.api().workerControl("drain");

        awaitStatus("worker-1", "paused");
        assertThat(server.api().workers().path("draining").asBoolean()).isFalse();
        String later = entry();
        assertStaysPending(later);
    }

    @Test
    void failedAndBackingOffEntriesDoNotHoldADrainOpen() {
        server.api().workerControl("pause");
        awaitStatus("worker-1", "paused");
        String ok = entry();
        String failed = entry();
        String backingOff = entry();
        markFailed(failed);
        SqliteFile.update(server.server().databaseFile(),
                "UPDATE experiences SET embedding_attempts = 1, embedding_error = 'simulated: timeout',"
                + " embedding_retry_at = ? WHERE id = ?", dev.chl.common.Times.format(Instant.now().plus(Duration.ofHours(1))), backingOff);

        server.api().workerControl("drain");

        server.api().awaitEmbedded(ok);
        Await.until("drain finished", Duration.ofSeconds(10), () -> server.api().workers(),
                s -> !s.path("draining").asBoolean() && s.path("workers").get(0).path("status").asString().equals("paused"));
        assertThat(server.api().embeddingStatus(failed)).isEqualTo("failed");
        assertThat(server.api().embeddingStatus(backingOff)).isEqualTo("pending");
        // Tidy up: the backing-off entry would wait an hour.
        assertThat(server.http().delete("/api/v1/experiences/" + backingOff).status()).isEqualTo(204);
    }

    @Test
    void retryFailedQueuesFailedEntriesAgain() {
        server.api().workerControl("pause");
        awaitStatus("worker-1", "paused");
        String f1 = entry();
        String f2 = entry();
        markFailed(f1);
        markFailed(f2);
        server.api().workerControl("resume");

        JsonNode state = server.api().workers();
        assertThat(state.path("queue").path("failed").asLong()).isEqualTo(2);
        List<String> failedIds = new ArrayList<>();
        state.path("recent_failures").forEach(f -> {
            failedIds.add(f.path("id").asString());
            assertThat(f.path("error").asString()).contains("simulated");
            assertThat(f.path("attempts").asInt()).isEqualTo(3);
        });
        assertThat(failedIds).contains(f1, f2);
        assertThat(server.api().index().path("failed").asLong()).isEqualTo(2);
        Await.holdsFor("failed entries stay failed until asked", HOLD,
                () -> server.api().embeddingStatus(f1).equals("failed") && server.api().embeddingStatus(f2).equals("failed"));

        JsonNode retried = server.api().workerControl("retry-failed");

        assertThat(retried.path("requeued").asInt()).isEqualTo(2);
        assertThat(retried.path("queue").path("failed").asLong()).isZero();
        server.api().awaitEmbedded(f1, f2);
        assertThat(server.api().workerControl("retry-failed").path("requeued").asInt()).isZero();
    }

    @Test
    void controlsAreAudited() {
        server.api().workerControl("pause");
        server.api().workerControl("resume");
        server.api().workerControl("drain");
        server.api().workerControl("resume");

        List<String> actions = SqliteFile.column(server.server().databaseFile(),
                "SELECT action FROM audit_log WHERE action LIKE 'workers.%' ORDER BY id");
        assertThat(actions).contains("workers.pause", "workers.resume", "workers.drain");
    }

    @Test
    void heartbeatsAreWrittenAtLeastEveryFiveSeconds() {
        String sql = "SELECT heartbeat_at FROM worker_metrics WHERE worker_id = 'worker-1' ORDER BY heartbeat_at";
        int before = SqliteFile.column(server.server().databaseFile(), sql).size();
        assertThat(before).as("a heartbeat at start-up").isPositive();

        List<String> beats = Await.until("three more heartbeats", Duration.ofSeconds(20),
                () -> SqliteFile.column(server.server().databaseFile(), sql), rows -> rows.size() >= before + 3);

        List<Instant> times = beats.subList(before - 1, beats.size()).stream().map(Instant::parse).toList();
        for (int i = 1; i < times.size(); i++) {
            Duration gap = Duration.between(times.get(i - 1), times.get(i));
            assertThat(gap).as("gap between heartbeats %s and %s", times.get(i - 1), times.get(i))
                    .isLessThanOrEqualTo(Duration.ofMillis(5500))
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        }
        JsonNode w = server.api().worker("worker-1");
        assertThat(Duration.between(Instant.parse(w.path("last_heartbeat_at").asString()), Instant.now()))
                .isLessThan(Duration.ofSeconds(6));
        assertThat(w.path("stale").asBoolean()).isFalse();
    }

    @Test
    void pausedWorkerKeepsHeartbeating() {
        server.api().workerControl("pause");
        awaitStatus("worker-1", "paused");

        Await.until("a heartbeat reporting 'paused'", Duration.ofSeconds(8), () -> SqliteFile.count(server.server().databaseFile(),
                "SELECT count(*) FROM worker_metrics WHERE worker_id = 'worker-1' AND status = 'paused'"), n -> n > 0);
        assertThat(server.api().worker("worker-1").path("stale").asBoolean()).isFalse();
    }
}
