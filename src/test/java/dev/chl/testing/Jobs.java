package dev.chl.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/** Starting operations jobs over HTTP and polling them until they finish. */
public final class Jobs {
    public static final Set<String> FINISHED = Set.of("succeeded", "failed", "cancelled", "timed_out");

    private Jobs() {}

    /** {@code POST /api/v1/operations/{type}}; asserts 202 and returns the job id. */
    public static String start(Http http, String type, Map<String, ?> options) {
        Http.Response r = http.post("/api/v1/operations/" + type, options);
        assertThat(r.status()).as("start %s %s: %s", type, options, r).isEqualTo(202);
        return r.json().path("job_id").asString();
    }

    public static JsonNode get(Http http, String jobId) {
        Http.Response r = http.get("/api/v1/operations/jobs/" + jobId);
        assertThat(r.status()).as("GET job %s: %s", jobId, r).isEqualTo(200);
        return r.json();
    }

    /** Polls the job until it has finished (any final status) and returns it. */
    public static JsonNode await(Http http, String jobId, Duration timeout) {
        return awaitUntil(http, jobId, timeout, job -> FINISHED.contains(job.path("status").asString()), "finish");
    }

    /** Polls the job until {@code condition} holds for it, failing after {@code timeout}. */
    public static JsonNode awaitUntil(Http http, String jobId, Duration timeout, Predicate<JsonNode> condition, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode job = get(http, jobId);
            if (condition.test(job)) {
                return job;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("job " + jobId + " did not " + what + " within " + timeout + ": " + job);
            }
            Await.sleep(Duration.ofMillis(20));
        }
    }

    /** Starts a job and waits for it to finish. */
    public static JsonNode run(Http http, String type, Map<String, ?> options) {
        return await(http, start(http, type, options), Duration.ofSeconds(120));
    }

    /** Runs a job and asserts it succeeded; returns the finished job. */
    public static JsonNode succeed(Http http, String type, Map<String, ?> options) {
        JsonNode job = run(http, type, options);
        assertThat(job.path("status").asString()).as("job %s: %s", type, job).isEqualTo("succeeded");
        return job;
    }
}
