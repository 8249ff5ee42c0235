package dev.chl.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import tools.jackson.databind.JsonNode;

/**
 * Follows a job on the terminal: a live progress bar from the job's events (polling when the event stream is not
 * available), Ctrl-C asks the server to cancel the job, and the exit code says how it ended.
 */
final class JobFollower {
    static final Set<String> FINISHED = Set.of("succeeded", "failed", "cancelled", "timed_out");

    private final ServerConnection server;
    private final PrintWriter out;

    JobFollower(ServerConnection server, PrintWriter out) {
        this.server = server;
        this.out = out;
    }

    /** Follows until the job ends; returns the finished job. */
    JsonNode follow(String jobId) throws Exception {
        AtomicBoolean done = new AtomicBoolean();
        Thread cancelOnCtrlC = new Thread(() -> {
            if (!done.get()) {
                out.println();
                out.println("chl: cancelling " + jobId + " …");
                try {
                    server.post("/api/v1/operations/jobs/" + jobId + "/cancel", java.util.Map.of());
                    waitFinished(jobId);
                } catch (Exception ignored) {
                    // the job may have ended meanwhile
                }
            }
        });
        Runtime.getRuntime().addShutdownHook(cancelOnCtrlC);
        try {
            Thread events = Thread.ofVirtual().start(() -> render(jobId, done));
            JsonNode job = waitFinished(jobId);
            synchronized (out) {
                // under the lock the bar draws with: no late bar after the line is cleared
                done.set(true);
                out.print("\r\033[K");
                out.flush();
            }
            events.interrupt();
            return job;
        } finally {
            done.set(true);
            try {
                Runtime.getRuntime().removeShutdownHook(cancelOnCtrlC);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running and waits for the job itself
            }
        }
    }

    private JsonNode waitFinished(String jobId) throws Exception {
        while (true) {
            JsonNode job = server.get("/api/v1/operations/jobs/" + jobId);
            if (FINISHED.contains(job.path("status").asString())) {
                return job;
            }
            Thread.sleep(200);
        }
    }

    private void render(String jobId, AtomicBoolean done) {
        try {
            HttpResponse<java.io.InputStream> stream = server.events("jobs");
            try (BufferedReader in = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                String line;
                while (!done.get() && (line = in.readLine()) != null) {
                    if (!line.startsWith("data: ")) {
                        continue;
                    }
                    JsonNode data = ServerConnection.JSON.readTree(line.substring(6));
                    if (!jobId.equals(data.path("job_id").asString()) || !data.has("percent")) {
                        continue;
                    }
                    synchronized (out) {
                        if (!done.get()) {
                            bar(data.path("percent").asInt(), data.path("step").asString(), data.path("done").asLong(), data.path("total").asLong());
                        }
                    }
                }
            }
        } catch (Exception ignored) {
            // the bar is a courtesy; waitFinished decides the outcome
        }
    }

    private void bar(int percent, String step, long done, long total) {
        int width = 30;
        int filled = percent * width / 100;
        String counts = total > 0 ? " " + done + "/" + total : "";
        out.print("\r\033[K[" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + percent + "% " + step + counts);
        out.flush();
    }

    /** 0 succeeded, 1 failed or timed out, 130 cancelled (as after Ctrl-C). */
    static int exitCode(JsonNode job) {
        return switch (job.path("status").asString()) {
            case "succeeded" -> 0;
            case "cancelled" -> 130;
            default -> 1;
        };
    }
}
