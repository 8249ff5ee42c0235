package dev.chl.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.common.Times;
import dev.chl.testing.BulkRows;
import dev.chl.testing.Fixtures;
import dev.chl.testing.Http;
import dev.chl.testing.OpsJobs;
import dev.chl.testing.Await;
import dev.chl.testing.Sqlite;
import dev.chl.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * What a killed process leaves behind — unfinished job rows and live lock leases — is recovered at the next start:
 * the jobs become failed "interrupted by restart", the leases go, and jobs of those types start again. The start-up
 * check heals an index that disagrees with the database, as an index-rebuild job.
 */
class LeaseRecoveryTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static void crashedJob(Sqlite db, String id, String type, String status, String lock) {
        Instant now = Instant.now();
        db.exec("INSERT INTO job_history (job_id, job_type, status, triggered_by, source, options_json, created_at, started_at,"
                        + " progress_percent, progress_step, cancel_requested) VALUES (?, ?, ?, 'crashed-cli', 'cli', '{}', ?, ?, 40, 'copying', ?)",
                id, type, status, Times.format(now.minusSeconds(5)), status.equals("queued") ? null : Times.format(now.minusSeconds(4)),
                status.equals("cancel_requested") ? 1 : 0);
        if (lock != null) {
            db.exec("INSERT INTO operation_locks (name, owner_job_id, acquired_at, expires_at) VALUES (?, ?, ?, ?)",
                    lock, id, Times.format(now.minusSeconds(4)), Times.format(now.plus(Duration.ofMinutes(10))));
        }
    }

    @Test
    void unfinishedJobsAndLiveLeasesOfAKilledProcessAreRecoveredAtTheNextStart() {
        try (TestServer server = TestServer.start()) {
            Http http = server.http();
            OpsJobs.awaitIdle(http, WAIT);
            Sqlite db = Sqlite.of(server);
            String running = "JOB-20260101-000000000-crsh";
            String queued = "JOB-20260101-000000001-crsh";
            String cancelling = "JOB-20260101-000000002-crsh";
            String finished = OpsJobs.run(http, "backup", Map.of()).path("job_id").asString();
            crashedJob(db, running, "backup", "running", "backup");
            crashedJob(db, queued, "embeddings-sync", "queued", "embeddings");
            crashedJob(db, cancelling, "index-rebuild", "cancel_requested", "index");

            Http.Response blocked = http.post("/api/v1/operations/backup", Map.of());
            assertThat(blocked.status()).as("the lease is live before the restart: %s", blocked).isEqualTo(409);
            assertThat(blocked.json().path("holder_job_id").asString()).isEqualTo(running);

            server.restart();
            http = server.http();

            for (String id : List.of(running, queued, cancelling)) {
                JsonNode job = OpsJobs.get(http, id);
                assertThat(job.path("status").asString()).as("%s", job).isEqualTo("failed");
                assertThat(job.path("error").asString()).contains("interrupted by restart");
                assertThat(job.path("finished_at").isString()).isTrue();
                assertThat(db.count("SELECT count(*) FROM operation_locks WHERE owner_job_id = ?", id)).as("lease of %s", id).isZero();
            }
            assertThat(OpsJobs.get(http, finished).path("status").asString()).as("finished jobs are left alone").isEqualTo("succeeded");
            JsonNode recovered = http.get("/api/v1/audit?action=job.recovered").json().path("items");
            assertThat(recovered.valueStream().map(r -> r.path("details").path("job_id").asString()))
                    .containsExactlyInAnyOrder(running, queued, cancelling);

            JsonNode backup = OpsJobs.run(http, "backup", Map.of());
            assertThat(backup.path("status").asString()).isEqualTo("succeeded");
            OpsJobs.run(http, "embeddings-sync", Map.of());
            OpsJobs.awaitIdle(http, WAIT);
            OpsJobs.run(http, "index-rebuild", Map.of());

            Http.Response retry = http.post("/api/v1/operations/jobs/" + running + "/retry", Map.of());
            assertThat(retry.status()).as("an interrupted job can be retried: %s", retry).isEqualTo(202);
            assertThat(retry.json().path("retry_of").asString()).isEqualTo(running);
            OpsJobs.awaitStatus(http, retry.json().path("job_id").asString(), "succeeded", WAIT);
        }
    }

    @Test
    void aJobThatHadCommittedItsWorkEndsSucceededWithItsSummaryNotFailed() {
        try (TestServer server = TestServer.start()) {
            Http http = server.http();
            OpsJobs.awaitIdle(http, WAIT);
            Sqlite db = Sqlite.of(server);
            String imported = "JOB-20260101-000000003-crsh";
            crashedJob(db, imported, "import", "running", "import");
            // what ExchangeService.apply records in the import's own transaction (JobContext.committed)
            db.exec("UPDATE job_history SET result_summary = ? WHERE job_id = ?",
                    "{\"applied\":true,\"update\":{\"count\":3},\"backup\":\"chl-20260101-000000-000.db\"}", imported);

            server.restart();
            JsonNode job = OpsJobs.get(server.http(), imported);
            assertThat(job.path("status").asString()).as("%s", job).isEqualTo("succeeded");
            assertThat(job.path("error").isNull() || job.path("error").isMissingNode()).as("%s", job).isTrue();
            assertThat(job.path("result_summary").path("backup").asString()).isEqualTo("chl-20260101-000000-000.db");
            assertThat(job.path("result_summary").path("interrupted_after_commit").asString()).contains("saved");
            assertThat(db.count("SELECT count(*) FROM operation_locks WHERE owner_job_id = ?", imported)).isZero();
        }
    }

    @Test
    void theStartUpCheckHealsAnIndexThatDisagreesWithTheDatabaseAsAJob() {
        try (TestServer server = TestServer.start()) {
            Http http = server.http();
            OpsJobs.awaitIdle(http, WAIT);
            String category = Fixtures.newCategory(http);
            // Otherwise the running workers may embed and index the rows before the restart, and nothing disagrees.
            Fixtures.pauseWorkers(http);
            List<String> ids = BulkRows.insertExperiences(server.databaseFile(), category, "H", 5, "pending");
            String previous = http.get("/api/v1/operations/jobs?type=index-rebuild&limit=1").json().path("jobs").path(0).path("job_id").asString();

            server.restart();
            Http after = server.http();
            JsonNode heal = Await.until("the start-up heal job", WAIT,
                    () -> after.get("/api/v1/operations/jobs?type=index-rebuild&limit=1").json().path("jobs").path(0),
                    j -> !j.path("job_id").asString().equals(previous));
            assertThat(heal.path("options").path("reason").asString()).startsWith("start-up check").contains("index holds");
            assertThat(heal.path("triggered_by").asString()).isEqualTo("chl");
            assertThat(heal.path("source").asString()).isEqualTo("system");
            OpsJobs.awaitStatus(after, heal.path("job_id").asString(), "succeeded", WAIT);
            long entries = Sqlite.of(server).count("SELECT (SELECT count(*) FROM experiences) + (SELECT count(*) FROM manuals)");
            assertThat(after.get("/api/v1/index").json().path("documents").asLong()).isEqualTo(entries);
            Http.Response search = after.post("/api/v1/search", Map.of("query", "Bulk heuristic H number 3", "limit", 10));
            assertThat(search.json().path("results").valueStream().map(r -> r.path("id").asString())).contains(ids.get(3));
        }
    }
}
