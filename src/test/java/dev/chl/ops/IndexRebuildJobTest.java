package dev.chl.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.testing.Await;
import dev.chl.testing.BulkRows;
import dev.chl.testing.Fixtures;
import dev.chl.testing.Http;
import dev.chl.testing.OpsJobs;
import dev.chl.testing.ServerExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * The index-rebuild job on a library large enough that a rebuild takes a few seconds: a second rebuild is refused
 * naming the first; a cancel mid-rebuild leaves the old index serving and the lock free; a rebuild past its timeout
 * ends timed_out and frees the lock the same way.
 */
class IndexRebuildJobTest {
    private static final int LIBRARY = 40_000;
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final AtomicInteger BATCH = new AtomicInteger();

    @RegisterExtension
    static final ServerExtension server = ServerExtension.perClass();
    private static String category;
    private static String marker;

    @BeforeAll
    static void library() {
        OpsJobs.awaitIdle(server.http(), Duration.ofSeconds(60));
        Fixtures.pauseWorkers(server.http());
        category = Fixtures.newCategory(server.http());
        marker = Fixtures.createExperience(server.http(), category, "Zanzibarquokka retries need jitter").path("id").asString();
        // Rows written straight into the database, as "embedded" without vectors, so the paused workers never need them.
        // The tests below need a rebuild that takes well over a second (checkpoints come every 1000 entries): on a
        // faster machine the library grows until it does.
        for (int round = 0; round < 8; round++) {
            BulkRows.insertExperiences(server.server().databaseFile(), category, "A" + round, LIBRARY, "embedded");
            JsonNode rebuilt = OpsJobs.run(server.http(), "index-rebuild", Map.of("reason", "test set-up"));
            if (rebuilt.path("result_summary").path("duration_ms").asLong() > 2500) {
                break;
            }
        }
    }

    @AfterEach
    void defaultTimeout() {
        server.http().put("/api/v1/settings/operations", Map.of("job_timeout_seconds", 900));
        OpsJobs.awaitIdle(server.http(), WAIT);
    }

    private static JsonNode index() {
        Http.Response r = server.http().get("/api/v1/index");
        assertThat(r.status()).isEqualTo(200);
        return r.json();
    }

    private static long databaseEntries() {
        return server.db().count("SELECT (SELECT count(*) FROM experiences) + (SELECT count(*) FROM manuals)");
    }

    private static List<String> searchIds(String query) {
        Http.Response r = server.http().post("/api/v1/search", Map.of("query", query, "kind", "all", "limit", 5));
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        return r.json().path("results").valueStream().map(n -> n.path("id").asString()).toList();
    }

    private static long generations() throws IOException {
        try (Stream<Path> dirs = Files.list(server.server().dataDir().resolve("index"))) {
            return dirs.filter(p -> p.getFileName().toString().startsWith("gen-")).count();
        }
    }

    /** Rows the live index does not hold yet, so a finished rebuild would show them and a stopped one must not. */
    private static List<String> rowsOnlyInTheDatabase(int n) {
        return BulkRows.insertExperiences(server.server().databaseFile(), category, "N" + BATCH.getAndIncrement(), n, "embedded");
    }

    /** Starts a rebuild and waits until it is really indexing (the index reports "rebuilding"). */
    private static String startRebuildAndAwaitIndexing() {
        String id = OpsJobs.start(server.http(), "index-rebuild", Map.of());
        Await.until("the rebuild to be indexing", Duration.ofSeconds(30), () -> index().path("state").asString(), "rebuilding"::equals);
        JsonNode job = OpsJobs.get(server.http(), id);
        assertThat(job.path("status").asString()).as("%s", job).isEqualTo("running");
        return id;
    }

    @Test
    void aSecondRebuildWhileOneRunsGets409NamingTheFirst() {
        String first = startRebuildAndAwaitIndexing();
        Http.Response second = server.http().post("/api/v1/operations/index-rebuild", Map.of());
        assertThat(second.status()).as("%s", second).isEqualTo(409);
        assertThat(second.isProblem()).isTrue();
        assertThat(second.json().path("holder_job_id").asString()).isEqualTo(first);
        assertThat(second.json().path("detail").asString()).contains(first);

        Http.Response retry = server.http().post("/api/v1/operations/jobs/" + first + "/retry", Map.of());
        assertThat(retry.status()).as("retry while the original runs: %s", retry).isEqualTo(409);
        assertThat(retry.json().path("holder_job_id").asString()).isEqualTo(first);

        JsonNode snapshot = server.http().get("/api/v1/telemetry/snapshot").json();
        assertThat(snapshot.path("jobs").path("running").valueStream().map(j -> j.path("job_id").asString()))
                .as("the running rebuild shows in the telemetry snapshot").contains(first);
        assertThat(server.db().rows("SELECT owner_job_id FROM operation_locks WHERE name = 'index'"))
                .singleElement().extracting(r -> r.get("owner_job_id")).isEqualTo(first);

        server.http().post("/api/v1/operations/jobs/" + first + "/cancel", Map.of());
        OpsJobs.awaitFinished(server.http(), first, WAIT);
    }

    @Test
    void aSnapshotUploadDuringARebuildIsRefusedNamingItAndNoWriteMadeMeanwhileIsLost() {
        byte[] snapshot = server.http().download("/api/v1/index/snapshot").body();
        String edited = Fixtures.createExperience(server.http(), category, "Xylophone tuning before edits").path("id").asString();
        String doomed = Fixtures.createExperience(server.http(), category, "Yodelbadger deleted during the rebuild").path("id").asString();
        String id = startRebuildAndAwaitIndexing();

        Http.Response upload = server.http().upload("/api/v1/index/snapshot", "file", "snapshot.zip", snapshot);

        assertThat(upload.status()).as("%s", upload).isEqualTo(409);
        assertThat(upload.isProblem()).isTrue();
        assertThat(upload.json().path("holder_job_id").asString()).isEqualTo(id);
        // Writes while the rebuild runs: it records them and replays them onto the new generation. An upload that
        // swapped in here ended that record, and all of them were missing once the rebuild swapped in.
        String created = Fixtures.createExperience(server.http(), category, "Wallabyquill created during the rebuild").path("id").asString();
        assertThat(server.http().delete("/api/v1/experiences/" + doomed).status()).isEqualTo(204);
        assertThat(server.http().patch("/api/v1/experiences/" + edited, Map.of("title", "Marimbafox tuning after edits",
                "playbook", "Tune the marimbafox, then check it.")).status())
                .isEqualTo(200);
        JsonNode job = OpsJobs.get(server.http(), id);
        assertThat(job.path("status").asString()).as("the writes happened while it ran: %s", job).isEqualTo("running");

        assertThat(OpsJobs.awaitFinished(server.http(), id, WAIT).path("status").asString()).isEqualTo("succeeded");
        Await.until("the index to hold every entry", Duration.ofSeconds(5), () -> index().path("documents").asLong() == databaseEntries());
        // The seeded guides have vectors and come back by similarity to anything; these entries wait unembedded.
        assertThat(searchIds("wallabyquill")).first().isEqualTo(created);
        assertThat(searchIds("yodelbadger")).doesNotContain(doomed);
        assertThat(searchIds("marimbafox")).first().isEqualTo(edited);
        assertThat(searchIds("xylophone")).doesNotContain(edited);
    }

    @Test
    void cancelDuringARebuildEndsCancelledKeepsTheOldIndexServingAndFreesTheLock() throws IOException {
        List<String> unindexed = rowsOnlyInTheDatabase(50);
        JsonNode before = index();
        assertThat(before.path("documents").asLong()).isLessThanOrEqualTo(databaseEntries() - unindexed.size());
        assertThat(searchIds("zanzibarquokka")).contains(marker);

        String id = startRebuildAndAwaitIndexing();
        Http.Response cancel = server.http().post("/api/v1/operations/jobs/" + id + "/cancel", Map.of());
        assertThat(cancel.status()).as("%s", cancel).isEqualTo(202);
        assertThat(cancel.json().path("status").asString()).isIn("cancel_requested", "cancelled");
        assertThat(cancel.json().path("cancel_requested").asBoolean()).isTrue();
        assertThat(searchIds("zanzibarquokka")).as("searches answer while the rebuild stops").contains(marker);

        JsonNode done = OpsJobs.awaitStatus(server.http(), id, "cancelled", WAIT);
        assertThat(done.path("error").asString()).contains("cancelled");
        assertThat(done.path("progress").path("done").asLong()).as("it stopped part-way").isLessThan(databaseEntries());

        JsonNode after = index();
        assertThat(after.path("state").asString()).isEqualTo("ready");
        assertThat(after.path("documents").asLong()).as("the old generation still serves").isEqualTo(before.path("documents").asLong());
        assertThat(after.path("checksum").asString()).isEqualTo(before.path("checksum").asString());
        assertThat(searchIds("zanzibarquokka")).contains(marker);
        assertThat(generations()).as("the half-built generation was thrown away").isEqualTo(1);
        assertThat(server.db().count("SELECT count(*) FROM operation_locks")).as("the lock is free").isZero();

        Http.Response again = server.http().post("/api/v1/operations/jobs/" + id + "/cancel", Map.of());
        assertThat(again.status()).as("cancelling a finished job: %s", again).isEqualTo(409);
        assertThat(again.isProblem()).isTrue();

        JsonNode rebuilt = OpsJobs.run(server.http(), "index-rebuild", Map.of());
        assertThat(rebuilt.path("result_summary").path("documents").asLong()).isEqualTo(databaseEntries());
        assertThat(index().path("documents").asLong()).as("a new rebuild takes the new rows in").isEqualTo(databaseEntries());
        assertThat(generations()).isEqualTo(1);
    }

    @Test
    void aRebuildPastItsTimeoutEndsTimedOutAndReleasesItsLock() throws IOException {
        List<String> unindexed = rowsOnlyInTheDatabase(50);
        Http.Response set = server.http().put("/api/v1/settings/operations", Map.of("job_timeout_seconds", 1));
        assertThat(set.status()).as("%s", set).isEqualTo(200);
        JsonNode before = index();

        String id = OpsJobs.start(server.http(), "index-rebuild", Map.of());
        JsonNode done = OpsJobs.awaitStatus(server.http(), id, "timed_out", WAIT);
        assertThat(done.path("error").asString()).contains("timeout").contains("job_timeout_seconds");
        assertThat(server.db().count("SELECT count(*) FROM operation_locks")).as("the lock is free").isZero();
        JsonNode after = index();
        assertThat(after.path("documents").asLong()).isEqualTo(before.path("documents").asLong());
        assertThat(after.path("checksum").asString()).isEqualTo(before.path("checksum").asString());
        assertThat(generations()).isEqualTo(1);

        assertThat(index().path("documents").asLong()).as("the new rows are not in the old index").isLessThan(databaseEntries());
        assertThat(unindexed).isNotEmpty();

        server.http().put("/api/v1/settings/operations", Map.of("job_timeout_seconds", 900));
        String next = OpsJobs.start(server.http(), "index-rebuild", Map.of());
        server.http().post("/api/v1/operations/jobs/" + next + "/cancel", Map.of());
        OpsJobs.awaitFinished(server.http(), next, WAIT);
    }
}
