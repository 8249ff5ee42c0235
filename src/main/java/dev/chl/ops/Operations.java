package dev.chl.ops;

import dev.chl.audit.AuditLog;
import dev.chl.common.ConflictException;
import dev.chl.common.Input;
import dev.chl.common.NotFoundException;
import dev.chl.common.Text;
import dev.chl.common.Times;
import dev.chl.common.ValidationException;
import dev.chl.model.Actor;
import dev.chl.settings.SettingsService;
import dev.chl.store.Database;
import dev.chl.store.JobRow;
import dev.chl.telemetry.EventBus;
import dev.chl.workers.EmbeddingWorkers;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The operations facade: every long operation runs here as a job with a durable history row, advisory locks held as
 * renewed leases, cooperative cancellation, a timeout, and progress on the live channel. A job's locks are released
 * only after its code has returned — never while it still runs.
 */
public final class Operations implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Operations.class);
    static final Duration LEASE = Duration.ofSeconds(60);
    static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(10);
    private static final DateTimeFormatter ID_STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmssSSS").withZone(ZoneOffset.UTC);
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    /**
     * A job's error is kept in job_history and the audit log, and sent with every jobs event and refresh: a few lines,
     * never an exception's megabytes (a parser's message can carry the whole file it choked on).
     */
    static final int MAX_ERROR_CHARS = 2_000;

    private final Database database;
    private final AuditLog audit;
    private final EmbeddingWorkers workers;
    private final SettingsService settings;
    private final EventBus bus;
    private final Clock clock;
    private final JobViews views;
    private final JsonMapper json;
    private final Map<JobType, JobKind> kinds = new EnumMap<>(JobType.class);
    private final Map<String, RunningJob> running = new ConcurrentHashMap<>();
    /**
     * Held while a job's final state is published and while a cancel publishes its row: a job that ended after the
     * cancel's write must not have "cancel_requested" published after its final event.
     */
    private final Object publications = new Object();
    /** Runs between a cancel's write and its publication; tests hold it to let the job finish in that gap. */
    volatile Runnable beforeCancelPublish = () -> { };
    private final SecureRandom random = new SecureRandom();
    // Checking and taking locks happens under this monitor, for jobs and for holds alike, so neither slips past the other.
    private final Object lockGate = new Object();
    private final Map<String, Hold> heldWithoutJob = new ConcurrentHashMap<>();
    private volatile boolean accepting = true;

    public Operations(Database database, AuditLog audit, EmbeddingWorkers workers, SettingsService settings, EventBus bus,
                      JsonMapper json, Clock clock, List<JobKind> jobKinds) {
        this.database = database;
        this.audit = audit;
        this.workers = workers;
        this.settings = settings;
        this.bus = bus;
        this.json = json;
        this.clock = clock;
        this.views = new JobViews(json);
        jobKinds.forEach(k -> kinds.put(k.type(), k));
    }

    public JobViews views() {
        return views;
    }

    /**
     * Marks jobs a previous process left unfinished as failed ("interrupted by restart") and frees their locks.
     * Run once at start-up, before any job starts: no job of this process holds a lock yet.
     */
    public int recoverAfterRestart() {
        String now = Times.format(clock.instant());
        return database.write(tx -> {
            List<JobRow> orphans = tx.jobs().unfinished();
            for (JobRow job : orphans) {
                endCutShort(tx, job, now, "the server stopped",
                        "interrupted by restart: the server stopped while this job ran; start it again (retry)");
                audit.record(tx, Actor.system(), "job.recovered", Map.of("job_id", job.jobId(), "job_type", job.jobType(),
                        "committed", job.resultSummary() != null));
            }
            int locks = tx.locks().deleteAll();
            if (!orphans.isEmpty() || locks > 0) {
                LOG.info("recovered {} interrupted jobs and {} stale locks", orphans.size(), locks);
            }
            return orphans.size();
        });
    }

    /**
     * Ends a job that {@code what} cut short before its body returned. One that had committed its work
     * (JobContext.committed) succeeded: that work stands, and only what came after (such as the index catching up) did
     * not finish — the start-up check and the index's own refresh rebuild an index that disagrees with the database.
     * Any other fails with {@code error}. Returns the status it ended with.
     */
    private JobStatus endCutShort(dev.chl.store.Tx tx, JobRow job, String now, String what, String error) {
        if (job.resultSummary() == null) {
            tx.jobs().finish(job.jobId(), JobStatus.FAILED.wire(), now, null, error);
            return JobStatus.FAILED;
        }
        Map<String, Object> summary = new LinkedHashMap<>(views.parse(job.resultSummary()));
        summary.put("interrupted_after_commit", what + " after this job's changes were saved, while it finished up; the "
                + "search index is compared with the database at start-up and rebuilt if they differ");
        tx.jobs().finish(job.jobId(), JobStatus.SUCCEEDED.wire(), now, json.writeValueAsString(summary), null);
        return JobStatus.SUCCEEDED;
    }

    /** Locks held for a short synchronous action ({@link #hold}); closing releases them. */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    private record Hold(String activity, String since) {}

    /**
     * Holds the locks a job of type {@code like} takes while a short synchronous action runs — installing an uploaded
     * index snapshot holds a rebuild's — so no job needing them runs meanwhile. {@code activity} names it in messages
     * ("installing an index snapshot"). Refused with 409 naming the job when one
     * holds them, as a job start is; a job asked for meanwhile gets 409 naming {@code activity}. Not a job: nothing goes
     * to job history, and what it holds lives in this process only (a crash frees it with the process).
     */
    public Held hold(JobType like, String activity) {
        Hold hold = new Hold(activity, Times.format(clock.instant()));
        synchronized (lockGate) {
            refuseIfHeldWithoutJob(like);
            database.read(tx -> {
                refuseIfHeldByAJob(tx, like, hold.since(), "so " + activity + " has to wait; try again once the job has finished, or cancel it");
                return null;
            });
            like.locks().forEach(lock -> heldWithoutJob.put(lock, hold));
        }
        return () -> like.locks().forEach(lock -> heldWithoutJob.remove(lock, hold));
    }

    /** A 409 naming the job whose live lease holds one of {@code type}'s locks at {@code at}; {@code then} says what to do. */
    private static void refuseIfHeldByAJob(dev.chl.store.Tx tx, JobType type, String at, String then) {
        for (String lock : type.locks()) {
            String holder = tx.locks().holder(lock, at).orElse(null);
            if (holder != null) {
                throw new ConflictException("the " + lock + " lock is held by job " + holder + "; " + then,
                        Map.of("holder_job_id", holder, "lock", lock));
            }
        }
    }

    private void refuseIfHeldWithoutJob(JobType type) {
        for (String lock : type.locks()) {
            Hold other = heldWithoutJob.get(lock);
            if (other != null) {
                throw new ConflictException("the " + lock + " lock is held for " + other.activity() + " (since " + other.since()
                        + "); try again in a moment", Map.of("lock", lock));
            }
        }
    }

    /** Starts a job: 202 material. A lock held by another job is a conflict naming the holder. */
    public Map<String, Object> start(Actor actor, JobType type, Map<String, Object> requested) {
        return view(startJob(actor, type, requested, null));
    }

    /** Starts a new job with the type and options of a finished one, linked to it. */
    public Map<String, Object> retry(Actor actor, String jobId) {
        JobRow original = row(jobId);
        if (!JobStatus.fromWire("status", original.status()).finished()) {
            throw new ConflictException("job " + jobId + " is still " + original.status() + "; retry it once it has finished",
                    Map.of("holder_job_id", jobId));
        }
        Map<String, Object> options = views.parse(original.optionsJson());
        return view(startJob(actor, JobType.fromPath(original.jobType()), options, jobId));
    }

    public Map<String, Object> get(String jobId) {
        return view(row(jobId));
    }

    /** {@code GET /operations/jobs} parameters: type, status, limit. */
    public List<Map<String, Object>> list(Map<String, String> params) {
        Input in = new Input(params).allowOnly(Set.of("type", "status", "limit"));
        // A bad filter is invalid input (422), not a missing resource: parse as a wire value, not as a path.
        String type = in.parsed("type", v -> dev.chl.model.WireValue.parse(JobType.class, "type", v).wire());
        String status = in.parsed("status", v -> JobStatus.fromWire("status", v).wire());
        Integer limit = in.parsed("limit", v -> {
            try {
                int n = Integer.parseInt(v);
                if (n >= 1 && n <= 500) {
                    return n;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw new ValidationException("limit", "must be a whole number between 1 and 500");
        });
        in.check();
        return database.read(tx -> tx.jobs().list(type, status, limit == null ? 50 : limit)).stream().map(this::view).toList();
    }

    /** The newest job of every type, or null where a type never ran. */
    public Map<String, Object> lastRuns() {
        Map<String, Object> runs = new LinkedHashMap<>();
        for (JobType type : JobType.values()) {
            List<JobRow> newest = database.read(tx -> tx.jobs().list(type.wire(), null, 1));
            runs.put(type.wire(), newest.isEmpty() ? null : view(newest.getFirst()));
        }
        return runs;
    }

    public List<Map<String, Object>> runningJobs() {
        return running.keySet().stream().map(id -> database.read(tx -> tx.jobs().find(id))).flatMap(java.util.Optional::stream)
                .map(this::view).toList();
    }

    /**
     * Why a job of each type could not start now — a running job holds a lock it needs — absent where it could. The
     * console disables its start buttons with these reasons; {@link #start} still decides (a race is a 409).
     */
    public Map<JobType, String> blockers() {
        List<Map<String, Object>> running = runningJobs();
        Map<JobType, String> reasons = new java.util.EnumMap<>(JobType.class);
        for (JobType type : JobType.values()) {
            type.locks().stream().map(heldWithoutJob::get).filter(java.util.Objects::nonNull).findFirst()
                    .ifPresent(hold -> reasons.put(type, hold.activity() + " is under way"));
            for (Map<String, Object> job : running) {
                if (reasons.containsKey(type)) {
                    break;
                }
                JobType holder = JobType.fromPath(String.valueOf(job.get("job_type")));
                if (holder.locks().stream().anyMatch(type.locks()::contains)) {
                    reasons.put(type, article(holder.wire()) + " " + holder.wire() + " is running (job " + job.get("job_id")
                            + ", started by " + job.get("triggered_by") + ")");
                    break;
                }
            }
        }
        return reasons;
    }

    private static String article(String word) {
        return "aeiou".indexOf(word.charAt(0)) >= 0 ? "an" : "a";
    }

    /** Asks a job to stop at its next checkpoint; the job becomes cancelled once its code has stopped. */
    public Map<String, Object> cancel(Actor actor, String jobId) {
        // Tell a running job first: a job that holds the database's write lock (an import applies in one long
        // transaction) must see the request at its next checkpoint, not after the write below could get the lock,
        // which would be only once the job had committed.
        RunningJob run = running.get(jobId);
        if (run != null) {
            run.requestCancel();
        }
        boolean[] stoppedMeanwhile = {false};
        JobRow job = database.write(tx -> {
            JobRow current = tx.jobs().find(jobId).orElseThrow(() -> notFound(jobId));
            JobStatus status = JobStatus.fromWire("status", current.status());
            if (status.finished() && !(run != null && status == JobStatus.CANCELLED)) {
                throw new ConflictException("job " + jobId + " already finished (" + current.status() + "); nothing to cancel");
            }
            if (status.finished()) {
                // it stopped on this very request while the write waited for the lock
                audit.record(tx, actor, "job.cancel_requested", Map.of("job_id", jobId, "job_type", current.jobType()));
                stoppedMeanwhile[0] = true;
                return current;
            }
            tx.jobs().requestCancel(jobId);
            if (status == JobStatus.RUNNING) {
                tx.jobs().transition(jobId, JobStatus.RUNNING.wire(), JobStatus.CANCEL_REQUESTED.wire());
            }
            audit.record(tx, actor, "job.cancel_requested", Map.of("job_id", jobId, "job_type", current.jobType()));
            return tx.jobs().find(jobId).orElseThrow();
        });
        if (!stoppedMeanwhile[0]) {
            beforeCancelPublish.run();
            synchronized (publications) {
                // A job that ended since the write above has published its final state; this row is older than that.
                if (run == null || running.containsKey(jobId)) {
                    publish(job);
                }
            }
        }
        return view(job);
    }

    /** Extends the leases of the locks running jobs hold; run every few seconds. */
    public void renewLeases() {
        String expires = Times.format(clock.instant().plus(LEASE));
        for (String jobId : running.keySet()) {
            database.write(tx -> tx.locks().renew(jobId, expires));
        }
    }

    public long countByStatus(JobStatus status) {
        return database.read(tx -> tx.jobs().countByStatus(status.wire()));
    }

    private JobRow startJob(Actor actor, JobType type, Map<String, Object> requested, String retryOf) {
        if (!accepting) {
            throw new ConflictException("the server is shutting down and takes no new jobs");
        }
        JobKind kind = kinds.get(type);
        if (kind == null) {
            throw new NotFoundException("the " + type.wire() + " operation is not available on this server");
        }
        Map<String, Object> options = kind.options(requested == null ? Map.of() : requested);
        String jobId = newJobId();
        Instant now = clock.instant();
        String stamp = Times.format(now);
        JobRow row = new JobRow(jobId, type.wire(), JobStatus.QUEUED.wire(), actor.name(), actor.channel().wire(),
                json.writeValueAsString(options), stamp, null, null, 0, "queued", 0, 0, null, null, false, retryOf, null);
        synchronized (lockGate) {
            refuseIfHeldWithoutJob(type);
            database.write(tx -> {
                refuseIfHeldByAJob(tx, type, stamp, "wait for it to finish or cancel it");
                tx.jobs().insert(row);
                String expires = Times.format(now.plus(LEASE));
                for (String lock : type.locks()) {
                    tx.locks().take(lock, jobId, stamp, expires);
                }
                audit.record(tx, actor, "job.start", Map.of("job_id", jobId, "job_type", type.wire(), "options", options));
                return null;
            });
        }
        Instant deadline = now.plus(Duration.ofSeconds(settings.operations().jobTimeoutSeconds()));
        RunningJob run = new RunningJob(jobId, type, options, deadline, database, workers, bus, clock, json);
        running.put(jobId, run);
        run.firstEventId = publish(row);
        JobBody body = kind.body(options);
        run.bind(Thread.ofVirtual().name("job-" + jobId).start(() -> execute(run, body, actor)));
        return row;
    }

    private void execute(RunningJob run, JobBody body, Actor actor) {
        String jobId = run.jobId();
        JobStatus outcome;
        Map<String, Object> summary = null;
        String error = null;
        try {
            boolean started = database.write(tx -> {
                JobRow current = tx.jobs().find(jobId).orElseThrow();
                if (current.cancelRequested()) {
                    return false;
                }
                tx.jobs().transition(jobId, JobStatus.QUEUED.wire(), JobStatus.RUNNING.wire());
                tx.jobs().markStarted(jobId, Times.format(clock.instant()));
                return true;
            });
            if (!started) {
                throw new JobStoppedException(JobStatus.CANCELLED, "cancelled before it started");
            }
            publish(row(jobId));
            run.progress("starting", 0, 0);
            summary = body.run(run);
            outcome = JobStatus.SUCCEEDED;
        } catch (JobStoppedException e) {
            outcome = e.outcome();
            error = e.getMessage();
        } catch (InterruptedException e) {
            outcome = JobStatus.CANCELLED;
            error = "interrupted while waiting";
        } catch (ValidationException | ConflictException | NotFoundException e) {
            outcome = JobStatus.FAILED;
            error = e.getMessage();
        } catch (Exception | Error e) {
            outcome = JobStatus.FAILED;
            error = dev.chl.common.DiskFull.is(e) ? dev.chl.common.DiskFull.REMEDY : e.getClass().getSimpleName() + ": " + e.getMessage();
            LOG.error("job {} ({}) failed", jobId, run.type().wire(), e);
        } finally {
            run.returnPauses();
        }
        finish(run, outcome, summary, error, actor);
    }

    private void finish(RunningJob run, JobStatus outcome, Map<String, Object> summary, String fullError, Actor actor) {
        String jobId = run.jobId();
        String error = fullError == null ? null : Text.preview(fullError, MAX_ERROR_CHARS);
        run.flushProgress(outcome == JobStatus.SUCCEEDED);
        String summaryJson = summary == null ? null : json.writeValueAsString(summary);
        String now = Times.format(clock.instant());
        JobRow done = database.write(tx -> {
            JobRow current = tx.jobs().find(jobId).orElseThrow();
            JobStatus from = JobStatus.fromWire("status", current.status());
            JobStatus to = from.canBecome(outcome) ? outcome : JobStatus.FAILED;
            if (to != JobStatus.SUCCEEDED && current.resultSummary() != null && from.canBecome(JobStatus.SUCCEEDED)) {
                to = endCutShort(tx, current, now, "it stopped (" + error + ")", error); // its committed work stands
            } else {
                tx.jobs().finish(jobId, to.wire(), now, summaryJson, error);
            }
            tx.locks().releaseAll(jobId);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("job_id", jobId);
            details.put("job_type", run.type().wire());
            details.put("status", to.wire());
            if (error != null) {
                details.put("error", error);
            }
            audit.record(tx, actor, "job.finish", details);
            return tx.jobs().find(jobId).orElseThrow();
        });
        long lastEventId;
        synchronized (publications) {
            running.remove(jobId);
            lastEventId = publish(done);
        }
        recordTelemetry(done, run.firstEventId, lastEventId);
    }

    /**
     * The job's pointer to its telemetry (DESIGN §3): the ids of its first and last event on the live channel (topic
     * jobs; events of other jobs and topics fall between them) and the window of worker_metrics rows written while it
     * ran. Written after the final event, whose id it names.
     */
    private void recordTelemetry(JobRow done, long firstEventId, long lastEventId) {
        Map<String, Object> events = new LinkedHashMap<>();
        events.put("topic", "jobs");
        events.put("first_event_id", firstEventId);
        events.put("last_event_id", lastEventId);
        Map<String, Object> workerMetrics = new LinkedHashMap<>();
        workerMetrics.put("from", done.startedAt() != null ? done.startedAt() : done.createdAt());
        workerMetrics.put("to", done.finishedAt());
        Map<String, Object> pointer = new LinkedHashMap<>();
        pointer.put("events", events);
        pointer.put("worker_metrics", workerMetrics);
        String telemetry = json.writeValueAsString(pointer);
        try {
            database.write(tx -> {
                tx.jobs().telemetry(done.jobId(), telemetry);
                return null;
            });
        } catch (RuntimeException e) {
            LOG.warn("could not record the telemetry pointer of job {}", done.jobId(), e); // the job's outcome stands
        }
    }

    private long publish(JobRow row) {
        return bus.publish("jobs", "job." + row.status(), view(row));
    }

    /** A job as the API shows it; a job running here shows its live progress (see {@link RunningJob#progressView}). */
    private Map<String, Object> view(JobRow row) {
        Map<String, Object> view = views.job(row);
        RunningJob live = running.get(row.jobId());
        if (live != null && JobStatus.RUNNING.wire().equals(row.status())) {
            view.put("progress", live.progressView());
        }
        return view;
    }

    private JobRow row(String jobId) {
        return database.read(tx -> tx.jobs().find(jobId)).orElseThrow(() -> notFound(jobId));
    }

    private String newJobId() {
        StringBuilder suffix = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            suffix.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return "JOB-" + ID_STAMP.format(clock.instant()) + "-" + suffix;
    }

    private static NotFoundException notFound(String jobId) {
        return new NotFoundException("no job with id '" + jobId + "'");
    }

    /**
     * Stops taking jobs, asks running ones to cancel and waits a bounded time; jobs still running after that are
     * recorded as interrupted (their locks are recovered at the next start).
     */
    @Override
    public void close() {
        accepting = false;
        for (String jobId : List.copyOf(running.keySet())) {
            try {
                cancel(Actor.system(), jobId);
            } catch (ConflictException finishedMeanwhile) {
                // it ended on its own
            }
        }
        long deadline = System.nanoTime() + SHUTDOWN_WAIT.toNanos();
        for (RunningJob run : List.copyOf(running.values())) {
            Thread t = run.thread();
            long left = deadline - System.nanoTime();
            if (t != null && left > 0) {
                try {
                    t.join(Duration.ofNanos(left));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        for (RunningJob run : List.copyOf(running.values())) {
            String now = Times.format(clock.instant());
            database.write(tx -> {
                endCutShort(tx, tx.jobs().find(run.jobId()).orElseThrow(), now, "the server shut down",
                        "interrupted by shutdown: the job did not stop within " + SHUTDOWN_WAIT.toSeconds() + " s");
                return null;
            });
            LOG.warn("job {} did not stop within {} s of shutdown; recorded as interrupted", run.jobId(), SHUTDOWN_WAIT.toSeconds());
        }
    }
}
