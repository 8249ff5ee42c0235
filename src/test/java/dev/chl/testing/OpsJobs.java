package dev.chl.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** Starting jobs and waiting for them through the operations API. */
public final class OpsJobs {
    public static final Set<String> FINISHED = Set.of("succeeded", "failed", "cancelled", "timed_out");

    private OpsJobs() {}

    /** Starts an operation and returns its job id (asserting the 202 shape). */
    public static String start(Http http, String type, Map<String, Object> options) {
        Http.Response r = http.post("/api/v1/operations/" + type, options);
        assertThat(r.status()).as("start %s: %s", type, r).isEqualTo(202);
        String id = r.json().path("job_id").asString();
        assertThat(id).isNotBlank();
        return id;
    }

    public static JsonNode get(Http http, String jobId) {
        Http.Response r = http.get("/api/v1/operations/jobs/" + jobId);
        assertThat(r.status()).as("get job %s: %s", jobId, r).isEqualTo(200);
        return r.json();
    }

    /** Waits until the job has finished and returns its final view. */
    public static JsonNode awaitFinished(Http http, String jobId, Duration timeout) {
        return Await.until("job " + jobId + " to finish", timeout, () -> get(http, jobId),
                j -> FINISHED.contains(j.path("status").asString()));
    }

    public static JsonNode awaitStatus(Http http, String jobId, String status, Duration timeout) {
        JsonNode job = awaitFinished(http, jobId, timeout);
        assertThat(job.path("status").asString()).as("final status of %s: %s", jobId, job).isEqualTo(status);
        return job;
    }

    /** Waits until no job is queued, running or being cancelled (e.g. the index heal a fresh server starts). */
    public static void awaitIdle(Http http, Duration timeout) {
        Await.until("no unfinished jobs", timeout, () -> {
            int unfinished = 0;
            for (String status : new String[] {"queued", "running", "cancel_requested"}) {
                unfinished += http.get("/api/v1/operations/jobs?status=" + status).json().path("jobs").size();
            }
            return unfinished;
        }, n -> n == 0);
    }

    /** Runs a job to success and returns its final view. */
    public static JsonNode run(Http http, String type, Map<String, Object> options) {
        return awaitStatus(http, start(http, type, options), "succeeded", Duration.ofSeconds(60));
    }
}
