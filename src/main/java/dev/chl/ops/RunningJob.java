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
    /** Read by the job's views without a lock: the job thread may wait on the database write lock while it reports. */
    private volatile Progress progress = Progress.QUEUED;

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
    public void progress(String step, long done, long total) {
        Progress now = Progress.of(step, done, total);
        progress = now;
        boolean write;
        boolean publish;
        synchronized (this) {
            long ms = System.currentTimeMillis();
            write = ms - lastWriteMs >= WRITE_EVERY_MS;
            publish = ms - lastPublishMs >= PUBLISH_EVERY_MS;
            lastWriteMs = write ? ms : lastWriteMs;
            lastPublishMs = publish ? ms : lastPublishMs;
        }
        // Outside the monitor: the write may wait for the database's write lock (another job's long transaction).
        if (write) {
            writeProgress(now);
        }
        if (publish) {
            publishProgress(now);
        }
    }

    /** Writes and publishes the latest progress regardless of throttling (at the end of a job). */
    void flushProgress(boolean complete) {
        Progress last = complete ? progress.complete() : progress;
        progress = last;
        writeProgress(last);
        publishProgress(last);
    }

    /**
     * The progress as it is now, for the job's views: the row's copy can lag behind — a job that writes inside one long
     * transaction (an import's apply) writes its progress rows into that transaction, unseen until it commits.
     */
    Map<String, Object> progressView() {
        return progress.toMap();
    }

    private void writeProgress(Progress p) {
        database.write(tx -> {
            tx.jobs().progress(jobId, p.percent(), p.step(), p.done(), p.total());
            return null;
        });
    }

    private void publishProgress(Progress p) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("job_id", jobId);
        data.put("job_type", type.wire());
        data.putAll(p.toMap());
        bus.publish("jobs", "job.progress", data);
    }

    @Override
    public void checkpoint() {
        Progress p = progress;
        if (cancelRequested) {
            throw new JobStoppedException(JobStatus.CANCELLED, "cancelled at " + p.step() + " (" + p.done() + " of " + p.total() + ")");
        }
        if (clock.instant().isAfter(deadline)) {
            throw new JobStoppedException(JobStatus.TIMED_OUT, "ran past its timeout (" + Times.format(deadline)
                    + ") at " + p.step() + "; raise job_timeout_seconds in the operations settings if the job needs longer");
        }
    }

    @Override
    public void quiesceWorkers() throws InterruptedException {
        progress("pausing embedding workers", progress.done(), progress.total());
        PauseToken token = workers.quiesce();
        synchronized (tokens) {
            tokens.add(token);
        }
        progress("embedding workers paused", progress.done(), progress.total());
    }

    /** Gives back every pause this job took; always runs when the job ends. */
    void returnPauses() {
        synchronized (tokens) {
            if (!tokens.isEmpty()) {
                progress("resuming embedding workers", progress.done(), progress.total());
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
