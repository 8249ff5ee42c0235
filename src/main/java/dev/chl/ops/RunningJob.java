package dev.chl.ops;

import dev.chl.common.Times;
import dev.chl.store.Database;
import dev.chl.telemetry.EventBus;
import dev.chl.workers.EmbeddingWorkers;
import dev.chl.workers.PauseToken;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The context of one running job: progress (throttled to the database and the live channel), checkpoints, pause tokens. */
final class RunningJob implements JobContext {
    private static final long WRITE_EVERY_MS = 500;
    private static final long PUBLISH_EVERY_MS = 250;

    private final String jobId;
    private final JobType type;
    private final Map<String, Object> options;
    private final Instant deadline;
    private final Database database;
    private final EmbeddingWorkers workers;
    private final EventBus bus;
    private final Clock clock;
    private final tools.jackson.databind.json.JsonMapper json;
    private final List<PauseToken> tokens = new ArrayList<>();
    private volatile boolean cancelRequested;
    private volatile Thread thread;
    private long lastWriteMs;
    private long lastPublishMs;
    private int percent;
    private String step = "queued";
    private long done;
    private long total;

    /** The id of the job's first event (queued), for its telemetry pointer. */
    volatile long firstEventId;

    RunningJob(String jobId, JobType type, Map<String, Object> options, Instant deadline, Database database,
               EmbeddingWorkers workers, EventBus bus, Clock clock, tools.jackson.databind.json.JsonMapper json) {
        this.jobId = jobId;
        this.type = type;
        this.options = options;
        this.deadline = deadline;
        this.database = database;
        this.workers = workers;
        this.bus = bus;
        this.clock = clock;
        this.json = json;
    }

    @Override
    public void committed(dev.chl.store.Tx tx, Map<String, Object> summary) {
        tx.jobs().recordCommitted(jobId, json.writeValueAsString(summary));
    }

    @Override
    public String jobId() {
        return jobId;
    }

    JobType type() {
        return type;
    }

    @Override
    public Map<String, Object> options() {
        return options;
    }

    @Override
    public synchronized void progress(String step, long done, long total) {
        this.step = step;
        this.done = done;
        this.total = total;
        this.percent = total > 0 ? (int) Math.min(100, done * 100 / total) : 0;
        long now = System.currentTimeMillis();
        if (now - lastWriteMs >= WRITE_EVERY_MS) {
            lastWriteMs = now;
            writeProgress();
        }
        if (now - lastPublishMs >= PUBLISH_EVERY_MS) {
            lastPublishMs = now;
            publishProgress();
        }
    }

    /** Writes and publishes the latest progress regardless of throttling (at the end of a job). */
    synchronized void flushProgress(boolean complete) {
        if (complete) {
            percent = 100;
            done = Math.max(done, total);
        }
        writeProgress();
        publishProgress();
    }

    /**
     * The progress as it is now, for the job's views: the row's copy can lag behind — a job that writes inside one long
     * transaction (an import's apply) writes its progress rows into that transaction, unseen until it commits.
     */
    synchronized Map<String, Object> progressView() {
        Map<String, Object> progress = new LinkedHashMap<>();
        progress.put("percent", percent);
        progress.put("step", step);
        progress.put("done", done);
        progress.put("total", total);
        return progress;
    }

    private void writeProgress() {
        int p = percent;
        String s = step;
        long d = done;
        long t = total;
        database.write(tx -> {
            tx.jobs().progress(jobId, p, s, d, t);
            return null;
        });
    }

    private void publishProgress() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("job_id", jobId);
        data.put("job_type", type.wire());
        data.put("percent", percent);
        data.put("step", step);
        data.put("done", done);
        data.put("total", total);
        bus.publish("jobs", "job.progress", data);
    }

    @Override
    public void checkpoint() {
        if (cancelRequested) {
            throw new JobStoppedException(JobStatus.CANCELLED, "cancelled at " + step + " (" + done + " of " + total + ")");
        }
        if (clock.instant().isAfter(deadline)) {
            throw new JobStoppedException(JobStatus.TIMED_OUT, "ran past its timeout (" + Times.format(deadline)
                    + ") at " + step + "; raise job_timeout_seconds in the operations settings if the job needs longer");
        }
    }

    @Override
    public void quiesceWorkers() throws InterruptedException {
        progress("pausing embedding workers", done, total);
        PauseToken token = workers.quiesce();
        synchronized (tokens) {
            tokens.add(token);
        }
        progress("embedding workers paused", done, total);
    }

    /** Gives back every pause this job took; always runs when the job ends. */
    void returnPauses() {
        synchronized (tokens) {
            if (!tokens.isEmpty()) {
                progress("resuming embedding workers", done, total);
            }
            tokens.forEach(PauseToken::close);
            tokens.clear();
        }
    }

    void requestCancel() {
        cancelRequested = true;
    }

    void bind(Thread thread) {
        this.thread = thread;
    }

    Thread thread() {
        return thread;
    }
}
