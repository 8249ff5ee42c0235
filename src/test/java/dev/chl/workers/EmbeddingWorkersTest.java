package dev.chl.workers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.app.App;
import dev.chl.app.Config;
import dev.chl.testing.Await;
import dev.chl.testing.ChlApi;
import dev.chl.testing.Http;
import dev.chl.testing.OffsetClock;
import dev.chl.testing.SharedModels;
import dev.chl.testing.SqliteFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The worker pool with a clock the test moves and a model the test can hold or break: staleness, pausing mid-batch,
 * quiesce tokens, retries with backoff, and a drain that an entry failing during it cannot hold open.
 */
class EmbeddingWorkersTest {
    private static final Duration HOLD = Duration.ofMillis(1500);
    private final OffsetClock clock = new OffsetClock();
    private ControllableEmbedder embedder;
    private App app;
    private ChlApi api;
    private Path dataDir;
    private int counter;

    @BeforeEach
    void start() throws IOException {
        dataDir = Files.createTempDirectory("chl-workers-");
        app = App.start(new Config(dataDir, "127.0.0.1", 0, null), clock, id -> {
            embedder = new ControllableEmbedder(SharedModels.get(id));
            return embedder;
        });
        api = new ChlApi(new Http("http://127.0.0.1:" + app.port(), null));
        api.category("EWT");
        api.awaitQueueEmpty();
        Await.until("a first heartbeat", Duration.ofSeconds(5), () -> api.worker("worker-1"),
                w -> !w.path("last_heartbeat_at").isNull() && !w.path("stale").asBoolean());
    }

    @AfterEach
    void stop() {
        embedder.openGate();
        app.close();
    }

    private EmbeddingWorkers workers() {
        return app.services().workers();
    }

    private String entry(String words) {
        counter++;
        return api.experience("EWT", "Worker entry " + counter + " " + words, "Playbook " + counter + " about " + words + ".");
    }

    private void assertStaysPending(String... ids) {
        Await.holdsFor(String.join(", ", ids) + " pending", HOLD,
                () -> java.util.Arrays.stream(ids).allMatch(id -> api.embeddingStatus(id).equals("pending")));
    }

    private String status() {
        return api.worker("worker-1").path("status").asString();
    }

    // ---- staleness ------------------------------------------------------------------------------------------------

    @Test
    void workerStuckInABatchIsFlaggedStaleAndRecovers() throws InterruptedException {
        assertThat(api.worker("worker-1").path("stale").asBoolean()).isFalse();
        embedder.closeGate();
        String id = entry("stuck batch");
        assertThat(embedder.awaitBatchEntered()).isTrue();

        // Past the stuck time: the heartbeat task sees no progress and writes no more heartbeats.
        clock.advance(WorkerTimings.DEFAULTS.stuckAfter().plusSeconds(1));

        JsonNode stuck = api.worker("worker-1");
        assertThat(stuck.path("stale").asBoolean()).as("no progress and no heartbeat for 61 s: %s", stuck).isTrue();
        assertThat(stuck.path("status").asString()).isEqualTo("running");
        JsonNode health = api.http().get("/health").json();
        assertThat(health.path("status").asString()).isEqualTo("degraded");
        assertThat(health.path("components").path("workers").toString()).contains("degraded").contains("\"stale\":1");

        embedder.openGate();

        api.awaitEmbedded(id);
        Await.until("a fresh heartbeat", Duration.ofSeconds(10), () -> api.worker("worker-1").path("stale").asBoolean(), stale -> !stale);
        Instant beat = Instant.parse(api.worker("worker-1").path("last_heartbeat_at").asString());
        assertThat(beat).isAfter(Instant.now().plus(Duration.ofSeconds(15)));
    }

    // ---- pause during a batch -------------------------------------------------------------------------------------

    @Test
    void pausedWorkerFinishesItsCurrentBatchAndTakesNoNewOne() throws InterruptedException {
        embedder.closeGate();
        String inFlight = entry("in flight");
        assertThat(embedder.awaitBatchEntered()).isTrue();

        api.workerControl("pause");
        String waiting = entry("waiting");
        embedder.openGate();

        api.awaitEmbedded(inFlight);
        Await.until("paused", Duration.ofSeconds(5), this::status, "paused"::equals);
        assertStaysPending(waiting);
        api.workerControl("resume");
        api.awaitEmbedded(waiting);
    }

    // ---- quiesce tokens ---------------------------------------------------------------------------------------------

    @Test
    void quiesceWaitsForTheBatchInFlightButNotForTheQueue() throws Exception {
        embedder.closeGate();
        String inFlight = entry("quiesce in flight");
        assertThat(embedder.awaitBatchEntered()).isTrue();

        CompletableFuture<PauseToken> token = CompletableFuture.supplyAsync(() -> {
            try {
                return workers().quiesce();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Await.sleep(Duration.ofMillis(400));
        assertThat(token).as("quiesce returns only when the batch is done").isNotDone();
        String queued = entry("queued during quiesce");
        embedder.openGate();

        try (PauseToken paused = token.get(10, TimeUnit.SECONDS)) {
            assertThat(api.embeddingStatus(inFlight)).isEqualTo("embedded");
            assertThat(workers().paused()).isTrue();
            assertStaysPending(queued);
        }
        api.awaitEmbedded(queued);
    }

    @Test
    void operatorResumeDoesNotCancelAJobPause() throws InterruptedException {
        try (PauseToken job = workers().quiesce()) {
            api.workerControl("pause");
            api.workerControl("resume");
            String id = entry("job still pausing");
            assertStaysPending(id);
            assertThat(status()).isEqualTo("paused");
            job.close();
            api.awaitEmbedded(id);
        }
    }

    @Test
    void jobReturningItsTokenDoesNotCancelAnOperatorPause() throws InterruptedException {
        api.workerControl("pause");
        try (PauseToken job = workers().quiesce()) {
            assertThat(workers().paused()).isTrue();
        }
        String id = entry("operator still pausing");
        assertStaysPending(id);
        api.workerControl("resume");
        api.awaitEmbedded(id);
    }

    @Test
    void tokensAreCountedAndReturnedOnce() throws InterruptedException {
        PauseToken first = workers().quiesce();
        PauseToken second = workers().quiesce();
        first.close();
        first.close();
        String id = entry("two tokens");
        assertStaysPending(id);
        assertThat(workers().paused()).isTrue();

        second.close();

        api.awaitEmbedded(id);
        assertThat(workers().paused()).isFalse();
    }

    // ---- failures ---------------------------------------------------------------------------------------------------

    @Test
    void failingEntryIsRetriedWithBackoffThenMarkedFailedWithoutHoldingUpOthers() {
        embedder.failTextsContaining("EXPLODE");
        String bad = entry("EXPLODE on purpose");
        String good = entry("healthy neighbour");

        api.awaitEmbedded(good);
        Await.until("a first failed attempt", Duration.ofSeconds(10), () -> attempts(bad), n -> n == 1);
        assertThat(api.embeddingStatus(bad)).isEqualTo("pending");
        Instant retryAt = Instant.parse(retryAt(bad));
        assertThat(Duration.between(clock.instant(), retryAt)).isBetween(Duration.ofSeconds(3), Duration.ofSeconds(6));
        JsonNode state = api.workers();
        assertThat(state.path("recent_failures").toString()).contains(bad).contains("simulated model failure");
        Await.holdsFor("no retry before the backoff", HOLD, () -> attempts(bad) == 1);

        clock.advance(Duration.ofSeconds(6));
        Await.until("a second failed attempt", Duration.ofSeconds(10), () -> attempts(bad), n -> n == 2);
        Instant secondRetry = Instant.parse(retryAt(bad));
        assertThat(Duration.between(clock.instant(), secondRetry)).as("the backoff doubles").isBetween(Duration.ofSeconds(8), Duration.ofSeconds(11));

        clock.advance(Duration.ofSeconds(11));
        Await.until("the entry failed for good", Duration.ofSeconds(10), () -> api.embeddingStatus(bad), "failed"::equals);
        assertThat(attempts(bad)).isEqualTo(3);
        assertThat(retryAt(bad)).isNull();
        assertThat(api.workers().path("queue").path("failed").asLong()).isEqualTo(1);
        assertThat(api.worker("worker-1").path("failed").asLong()).isEqualTo(3);

        embedder.failTextsContaining(null);
        assertThat(api.workerControl("retry-failed").path("requeued").asInt()).isEqualTo(1);
        api.awaitEmbedded(bad);
    }

    @Test
    void entryFailingDuringADrainDoesNotHoldItOpen() {
        api.workerControl("pause");
        Await.until("paused", Duration.ofSeconds(5), this::status, "paused"::equals);
        embedder.failTextsContaining("EXPLODE");
        String bad = entry("EXPLODE during drain");
        String good = entry("drained fine");

        api.workerControl("drain");

        api.awaitEmbedded(good);
        Await.until("drain finished", Duration.ofSeconds(10), () -> api.workers(),
                s -> !s.path("draining").asBoolean() && s.path("workers").get(0).path("status").asString().equals("paused"));
        assertThat(attempts(bad)).isEqualTo(1);
        clock.advance(Duration.ofSeconds(30));
        Await.holdsFor("the failed entry waits for resume", HOLD, () -> attempts(bad) == 1);
        embedder.failTextsContaining(null);
        api.workerControl("resume");
        api.awaitEmbedded(bad);
    }

    private int attempts(String id) {
        return Integer.parseInt(SqliteFile.column(dataDir.resolve("chl.db"), "SELECT embedding_attempts FROM experiences WHERE id = ?", id).getFirst());
    }

    private String retryAt(String id) {
        return SqliteFile.column(dataDir.resolve("chl.db"), "SELECT embedding_retry_at FROM experiences WHERE id = ?", id).getFirst();
    }

    static Path tempDir() {
        try {
            return Files.createTempDirectory("chl-workers-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
