package dev.chl.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.common.Times;
import dev.chl.testing.Await;
import dev.chl.testing.Http;
import dev.chl.testing.OpsJobs;
import dev.chl.testing.ServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/** The operations API of API.md: start, list with filters, get, cancel, retry, last runs; telemetry snapshot and metrics. */
class OperationsApiTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final List<String> JOB_FIELDS = List.of("job_id", "job_type", "status", "triggered_by", "source", "created_at",
            "started_at", "finished_at", "progress", "result_summary", "error");

    @RegisterExtension
    static final ServerExtension server = ServerExtension.perClass();

    @BeforeAll
    static void awaitIdle() {
        OpsJobs.awaitIdle(server.http(), Duration.ofSeconds(60));
    }

    private static List<JsonNode> jobs(String query) {
        Http.Response r = server.http().get("/api/v1/operations/jobs" + query);
        assertThat(r.status()).as("list %s: %s", query, r).isEqualTo(200);
        return StreamSupport.stream(r.json().path("jobs").spliterator(), false).toList();
    }

    private static List<String> ids(List<JsonNode> jobs) {
        return jobs.stream().map(j -> j.path("job_id").asString()).toList();
    }

    private static void assertProblem(Http.Response r, int status) {
        assertThat(r.status()).as("%s", r).isEqualTo(status);
        assertThat(r.isProblem()).as("problem+json: %s", r).isTrue();
        assertThat(r.json().path("status").asInt()).isEqualTo(status);
        assertThat(r.json().path("detail").asString()).isNotBlank();
    }

    @Test
    void startAnswers202WithAJobIdAtOnceAndTheJobRunsToSuccessInTheBackground() {
        Http.Response r = server.http().post("/api/v1/operations/backup", Map.of());
        assertThat(r.status()).as("%s", r).isEqualTo(202);
        assertThat(r.contentType()).startsWith("application/json");
        JsonNode started = r.json();
        String id = started.path("job_id").asString();
        assertThat(id).matches("JOB-\\d{8}-\\d{9}-[a-z0-9]{4}");
        assertThat(started.path("status").asString()).isEqualTo("queued");
        assertThat(started.path("job_type").asString()).isEqualTo("backup");

        JsonNode done = OpsJobs.awaitStatus(server.http(), id, "succeeded", WAIT);
        for (String field : JOB_FIELDS) {
            assertThat(done.has(field)).as("job has %s: %s", field, done).isTrue();
        }
        assertThat(done.path("job_id").asString()).isEqualTo(id);
        assertThat(done.path("error").isNull()).isTrue();
        JsonNode progress = done.path("progress");
        assertThat(progress.path("percent").asInt()).isEqualTo(100);
        assertThat(progress.has("step") && progress.has("done") && progress.has("total")).as("%s", progress).isTrue();
        assertThat(progress.path("done").asLong()).isEqualTo(progress.path("total").asLong());
        Instant created = Times.parse(done.path("created_at").asString());
        Instant startedAt = Times.parse(done.path("started_at").asString());
        Instant finished = Times.parse(done.path("finished_at").asString());
        assertThat(created).isBeforeOrEqualTo(startedAt);
        assertThat(startedAt).isBeforeOrEqualTo(finished);
        JsonNode summary = done.path("result_summary");
        assertThat(summary.isObject()).as("%s", done).isTrue();
        assertThat(Files.isRegularFile(Path.of(summary.path("file").asString()))).isTrue();
        assertThat(summary.path("size_bytes").asLong()).isPositive();
    }

    @Test
    void anEmptyBodyMeansNoOptionsAndUnknownOptionsAre422() {
        Http.Response empty = server.http().send("POST", "/api/v1/operations/backup", Map.of(), null);
        assertThat(empty.status()).as("%s", empty).isEqualTo(202);
        OpsJobs.awaitStatus(server.http(), empty.json().path("job_id").asString(), "succeeded", WAIT);

        Http.Response unknown = server.http().post("/api/v1/operations/backup", Map.of("compress", true));
        assertProblem(unknown, 422);
        assertThat(unknown.json().path("errors").get(0).path("field").asString()).isEqualTo("compress");

        Http.Response badReason = server.http().post("/api/v1/operations/index-rebuild", Map.of("reason", 42));
        assertProblem(badReason, 422);
    }

    @ParameterizedTest
    @ValueSource(strings = {"frobnicate", "backups", "BACKUP", "index_rebuild"})
    void anUnknownOperationTypeIs404(String type) {
        Http.Response r = server.http().post("/api/v1/operations/" + type, Map.of());
        assertProblem(r, 404);
        assertThat(r.json().path("detail").asString()).contains("backup");
    }

    @Test
    void getOfAnUnknownJobIs404AndCancelAndRetryOfItToo() {
        assertProblem(server.http().get("/api/v1/operations/jobs/JOB-nope"), 404);
        assertProblem(server.http().post("/api/v1/operations/jobs/JOB-nope/cancel", Map.of()), 404);
        assertProblem(server.http().post("/api/v1/operations/jobs/JOB-nope/retry", Map.of()), 404);
    }

    @Test
    void listIsNewestFirstAndFiltersByTypeStatusAndLimit() {
        List<String> started = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            started.add(OpsJobs.run(server.http(), "backup", Map.of()).path("job_id").asString());
        }
        String sync = OpsJobs.run(server.http(), "embeddings-sync", Map.of()).path("job_id").asString();

        List<JsonNode> all = jobs("");
        assertThat(ids(all)).contains(sync).containsAll(started);
        List<String> created = all.stream().map(j -> j.path("created_at").asString()).toList();
        assertThat(created).as("newest first").isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(ids(all).indexOf(sync)).as("the newest job comes first of these").isLessThan(ids(all).indexOf(started.get(2)));
        assertThat(ids(all).indexOf(started.get(2))).isLessThan(ids(all).indexOf(started.get(0)));

        List<JsonNode> backups = jobs("?type=backup");
        assertThat(backups).allSatisfy(j -> assertThat(j.path("job_type").asString()).isEqualTo("backup"));
        assertThat(ids(backups)).containsAll(started).doesNotContain(sync);

        List<JsonNode> syncs = jobs("?type=embeddings-sync&status=succeeded");
        assertThat(ids(syncs)).contains(sync);
        assertThat(syncs).allSatisfy(j -> {
            assertThat(j.path("job_type").asString()).isEqualTo("embeddings-sync");
            assertThat(j.path("status").asString()).isEqualTo("succeeded");
        });
        assertThat(jobs("?status=timed_out")).allSatisfy(j -> assertThat(j.path("status").asString()).isEqualTo("timed_out"));

        assertThat(ids(jobs("?type=backup&limit=2"))).containsExactly(started.get(2), started.get(1));
        assertThat(jobs("?limit=1")).hasSize(1);
        assertThat(ids(jobs("?limit=500"))).containsAll(ids(all));
    }

    @ParameterizedTest
    @ValueSource(strings = {"?type=bogus", "?type=BACKUP", "?status=done", "?limit=0", "?limit=501", "?limit=ten",
            "?limit=-1", "?owner=me"})
    void badListFiltersAre422(String query) {
        Http.Response r = server.http().get("/api/v1/operations/jobs" + query);
        assertProblem(r, 422);
        assertThat(r.json().path("errors").isArray()).as("%s", r).isTrue();
        String field = query.substring(1, query.indexOf('='));
        assertThat(r.json().path("errors").get(0).path("field").asString()).isEqualTo(field);
    }

    @Test
    void retryStartsANewJobOfTheSameTypeAndOptionsLinkedToTheOriginal() {
        JsonNode original = OpsJobs.run(server.http(), "index-rebuild", Map.of("reason", "operator asked"));
        String originalId = original.path("job_id").asString();

        Http.Response r = server.http().post("/api/v1/operations/jobs/" + originalId + "/retry", Map.of());
        assertThat(r.status()).as("%s", r).isEqualTo(202);
        String retryId = r.json().path("job_id").asString();
        assertThat(retryId).isNotEqualTo(originalId);
        assertThat(r.json().path("retry_of").asString()).isEqualTo(originalId);
        assertThat(r.json().path("job_type").asString()).isEqualTo("index-rebuild");

        JsonNode retried = OpsJobs.awaitStatus(server.http(), retryId, "succeeded", WAIT);
        assertThat(retried.path("retry_of").asString()).isEqualTo(originalId);
        assertThat(retried.path("options")).isEqualTo(original.path("options"));
        assertThat(retried.path("result_summary").path("reason").asString()).isEqualTo("operator asked");
        assertThat(server.db().rows("SELECT retry_of FROM job_history WHERE job_id = ?", retryId).getFirst().get("retry_of"))
                .isEqualTo(originalId);
        assertThat(OpsJobs.get(server.http(), originalId).path("status").asString()).as("the original is untouched").isEqualTo("succeeded");
    }

    @Test
    void retryWhileTheOriginalStillRunsIs409NamingIt() {
        String id = "JOB-20260101-000000000-rtry";
        server.db().exec("INSERT INTO job_history (job_id, job_type, status, triggered_by, source, options_json, created_at, started_at)"
                + " VALUES (?, 'backup', 'running', 'someone', 'api', '{}', ?, ?)", id, "2026-01-01T00:00:00.000Z", "2026-01-01T00:00:00.000Z");
        try {
            Http.Response r = server.http().post("/api/v1/operations/jobs/" + id + "/retry", Map.of());
            assertProblem(r, 409);
            assertThat(r.json().path("holder_job_id").asString()).isEqualTo(id);
            assertThat(server.db().count("SELECT count(*) FROM job_history WHERE retry_of = ?", id)).as("no job was started").isZero();
        } finally {
            server.db().exec("UPDATE job_history SET status = 'failed', finished_at = ? WHERE job_id = ?", "2026-01-01T00:00:01.000Z", id);
        }
    }

    @Test
    void cancellingAFinishedJobIs409AndLeavesItAsItWas() {
        JsonNode done = OpsJobs.run(server.http(), "backup", Map.of());
        String id = done.path("job_id").asString();
        Http.Response r = server.http().post("/api/v1/operations/jobs/" + id + "/cancel", Map.of());
        assertProblem(r, 409);
        assertThat(r.json().path("detail").asString()).contains(id).contains("succeeded");
        JsonNode after = OpsJobs.get(server.http(), id);
        assertThat(after.path("status").asString()).isEqualTo("succeeded");
        assertThat(after.path("cancel_requested").asBoolean()).isFalse();
    }

    @Test
    void lastRunsHasEveryTypeWithItsNewestJobOrNull() {
        String newest = null;
        for (int i = 0; i < 2; i++) {
            newest = OpsJobs.run(server.http(), "backup", Map.of()).path("job_id").asString();
        }
        Http.Response r = server.http().get("/api/v1/operations/last-runs");
        assertThat(r.status()).isEqualTo(200);
        JsonNode runs = r.json();
        List<String> keys = new ArrayList<>();
        runs.propertyNames().forEach(keys::add);
        assertThat(keys).containsExactly("import", "export", "index-rebuild", "embeddings-sync", "backup");
        assertThat(runs.path("backup").path("job_id").asString()).isEqualTo(newest);
        assertThat(runs.path("backup").path("status").asString()).isEqualTo("succeeded");
        for (String field : JOB_FIELDS) {
            assertThat(runs.path("backup").has(field)).as(field).isTrue();
        }
        assertThat(runs.path("import").isNull()).as("never ran: null").isTrue();
        assertThat(runs.path("export").isNull()).as("never ran: null").isTrue();
        for (String type : keys) {
            JsonNode run = runs.path(type);
            assertThat(run.isNull() || run.path("job_type").asString().equals(type)).as("%s: %s", type, run).isTrue();
        }
    }

    @Test
    void jobsRecordWhoTriggeredThemThroughWhichChannelAndAuditStartAndFinish() {
        Http alice = server.http().as("alice-ops").withHeader("X-CHL-Channel", "cli");
        String id = OpsJobs.start(alice, "backup", Map.of());
        JsonNode done = OpsJobs.awaitStatus(server.http(), id, "succeeded", WAIT);
        assertThat(done.path("triggered_by").asString()).isEqualTo("alice-ops");
        assertThat(done.path("source").asString()).isEqualTo("cli");
        Map<String, Object> row = server.db().rows("SELECT triggered_by, source FROM job_history WHERE job_id = ?", id).getFirst();
        assertThat(row).containsEntry("triggered_by", "alice-ops").containsEntry("source", "cli");

        String anonymous = OpsJobs.run(server.http(), "backup", Map.of()).path("job_id").asString();
        JsonNode anon = OpsJobs.get(server.http(), anonymous);
        assertThat(anon.path("triggered_by").asString()).isEqualTo("api-client");
        assertThat(anon.path("source").asString()).isEqualTo("api");

        JsonNode startRow = auditFor("job.start", id);
        assertThat(startRow.path("actor").asString()).isEqualTo("alice-ops");
        assertThat(startRow.path("source").asString()).isEqualTo("cli");
        assertThat(startRow.path("details").path("job_type").asString()).isEqualTo("backup");
        JsonNode finishRow = Await.until("job.finish audit row", WAIT, () -> auditForOrNull("job.finish", id), n -> n != null);
        assertThat(finishRow.path("details").path("status").asString()).isEqualTo("succeeded");
        assertThat(finishRow.path("actor").asString()).isEqualTo("alice-ops");
        assertThat(Times.parse(finishRow.path("timestamp").asString())).isAfterOrEqualTo(Times.parse(startRow.path("timestamp").asString()));
    }

    private static JsonNode auditFor(String action, String jobId) {
        JsonNode row = auditForOrNull(action, jobId);
        assertThat(row).as("audit %s for %s", action, jobId).isNotNull();
        return row;
    }

    private static JsonNode auditForOrNull(String action, String jobId) {
        Http.Response r = server.http().get("/api/v1/audit?action=" + action + "&limit=500");
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        for (JsonNode item : r.json().path("items")) {
            if (item.path("details").path("job_id").asString().equals(jobId)) {
                return item;
            }
        }
        return null;
    }

    @Test
    void telemetrySnapshotHasTheQueueTheWorkersAndTheRunningJobs() {
        Http.Response r = server.http().get("/api/v1/telemetry/snapshot");
        assertThat(r.status()).isEqualTo(200);
        JsonNode s = r.json();
        assertThat(Times.parse(s.path("at").asString())).isCloseTo(Instant.now(), org.assertj.core.api.Assertions.within(1, java.time.temporal.ChronoUnit.MINUTES));
        JsonNode queue = s.path("queue");
        assertThat(queue.path("pending").isIntegralNumber()).as("%s", s).isTrue();
        assertThat(queue.path("failed").isIntegralNumber()).as("%s", s).isTrue();
        assertThat(queue.path("draining").isBoolean()).as("%s", s).isTrue();
        assertThat(s.path("workers").isArray()).isTrue();
        assertThat(s.path("workers").size()).isPositive();
        for (JsonNode w : s.path("workers")) {
            for (String field : List.of("id", "status", "processed", "failed", "last_heartbeat_at", "stale")) {
                assertThat(w.has(field)).as("worker has %s: %s", field, w).isTrue();
            }
            assertThat(w.path("status").asString()).isIn("running", "paused", "draining", "idle");
        }
        assertThat(s.path("jobs").path("running").isArray()).as("%s", s).isTrue();
    }

    @Test
    void metricsExposeTheQueueHttpTimingsAndJobCounts() {
        OpsJobs.run(server.http(), "backup", Map.of());
        assertThat(server.http().get("/health").status()).isEqualTo(200);
        Http.Response r = server.http().get("/metrics");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("text/plain");
        String text = r.body();
        assertThat(text).contains("chl_queue_pending").contains("chl_queue_failed").contains("chl_http_server_requests");
        assertThat(text).containsPattern("chl_http_server_requests_seconds_count\\{[^}]*route=\"/health\"[^}]*\\} [1-9]");
        assertThat(text).containsPattern("chl_jobs\\{status=\"succeeded\"\\} [1-9]");
        assertThat(text).containsPattern("chl_jobs\\{status=\"timed_out\"\\} ");
        assertThat(text).containsPattern("(?m)^chl_queue_pending(\\{\\})? \\d");
    }

    @Test
    void metricsCountWhatEachWorkerEmbedded() {
        // The seeded assistant guides are embedded by the start-up worker.
        Await.until("a worker's embedded total", WAIT, () -> server.http().get("/metrics").body(),
                text -> text.matches("(?s).*chl_worker_embedded_total\\{worker=\"worker-1\"\\} [1-9].*"));
    }
}
