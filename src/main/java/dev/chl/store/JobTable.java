package dev.chl.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** All SQL for {@code job_history}. */
public final class JobTable {
    private static final String COLUMNS = "job_id, job_type, status, triggered_by, source, options_json, created_at, started_at,"
            + " finished_at, progress_percent, progress_step, progress_done, progress_total, result_summary, error, cancel_requested, retry_of,"
            + " telemetry_json";

    private final Handle handle;

    JobTable(Handle handle) {
        this.handle = handle;
    }

    public void insert(JobRow job) {
        handle.createUpdate("INSERT INTO job_history (" + COLUMNS + ") VALUES (:job_id, :job_type, :status, :triggered_by, :source,"
                        + " :options_json, :created_at, :started_at, :finished_at, :progress_percent, :progress_step, :progress_done,"
                        + " :progress_total, :result_summary, :error, :cancel_requested, :retry_of, :telemetry_json)")
                .bind("job_id", job.jobId())
                .bind("job_type", job.jobType())
                .bind("status", job.status())
                .bind("triggered_by", job.triggeredBy())
                .bind("source", job.source())
                .bind("options_json", job.optionsJson())
                .bind("created_at", job.createdAt())
                .bind("started_at", job.startedAt())
                .bind("finished_at", job.finishedAt())
                .bind("progress_percent", job.progressPercent())
                .bind("progress_step", job.progressStep())
                .bind("progress_done", job.progressDone())
                .bind("progress_total", job.progressTotal())
                .bind("result_summary", job.resultSummary())
                .bind("error", job.error())
                .bind("cancel_requested", job.cancelRequested() ? 1 : 0)
                .bind("retry_of", job.retryOf())
                .bind("telemetry_json", job.telemetryJson())
                .execute();
    }

    public Optional<JobRow> find(String jobId) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM job_history WHERE job_id = :id")
                .bind("id", jobId)
                .map((rs, ctx) -> map(rs))
                .findOne();
    }

    /** Moves a job from one status to another; false when it was no longer in {@code from}. */
    public boolean transition(String jobId, String from, String to) {
        return handle.createUpdate("UPDATE job_history SET status = :to WHERE job_id = :id AND status = :from")
                .bind("id", jobId).bind("from", from).bind("to", to).execute() == 1;
    }

    public void markStarted(String jobId, String startedAt) {
        handle.createUpdate("UPDATE job_history SET started_at = :at WHERE job_id = :id").bind("id", jobId).bind("at", startedAt).execute();
    }

    public void requestCancel(String jobId) {
        handle.createUpdate("UPDATE job_history SET cancel_requested = 1 WHERE job_id = :id").bind("id", jobId).execute();
    }

    public void progress(String jobId, int percent, String step, long done, long total) {
        handle.createUpdate("UPDATE job_history SET progress_percent = :percent, progress_step = :step, progress_done = :done,"
                        + " progress_total = :total WHERE job_id = :id")
                .bind("id", jobId).bind("percent", percent).bind("step", step).bind("done", done).bind("total", total)
                .execute();
    }

    /** Where a finished job's telemetry is (DESIGN §3): its range of event ids and its worker_metrics window. */
    public void telemetry(String jobId, String telemetryJson) {
        handle.createUpdate("UPDATE job_history SET telemetry_json = :telemetry WHERE job_id = :id")
                .bind("id", jobId).bind("telemetry", telemetryJson).execute();
    }

    public void finish(String jobId, String status, String finishedAt, String resultSummary, String error) {
        handle.createUpdate("UPDATE job_history SET status = :status, finished_at = :at, result_summary = :summary, error = :error"
                        + " WHERE job_id = :id")
                .bind("id", jobId).bind("status", status).bind("at", finishedAt).bind("summary", resultSummary).bind("error", error)
                .execute();
    }

    /**
     * Stores a running job's summary inside the transaction that made its work permanent: a job found unfinished after
     * a crash with a summary had committed (see {@code JobContext.committed}).
     */
    public void recordCommitted(String jobId, String resultSummary) {
        handle.createUpdate("UPDATE job_history SET result_summary = :summary WHERE job_id = :id"
                        + " AND status IN ('running', 'cancel_requested')")
                .bind("id", jobId).bind("summary", resultSummary).execute();
    }

    /** Newest first, optionally filtered by type and status. */
    public List<JobRow> list(String type, String status, int limit) {
        List<String> where = new ArrayList<>();
        if (type != null) where.add("job_type = :type");
        if (status != null) where.add("status = :status");
        return handle.createQuery("SELECT " + COLUMNS + " FROM job_history" + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
                        + " ORDER BY created_at DESC, job_id DESC LIMIT :limit")
                .bind("type", type).bind("status", status).bind("limit", limit)
                .map((rs, ctx) -> map(rs))
                .list();
    }

    public long countByStatus(String status) {
        return handle.createQuery("SELECT count(*) FROM job_history WHERE status = :status").bind("status", status).mapTo(Long.class).one();
    }

    /** Jobs a crashed process left unfinished. */
    public List<JobRow> unfinished() {
        return handle.createQuery("SELECT " + COLUMNS + " FROM job_history WHERE status IN ('queued', 'running', 'cancel_requested')")
                .map((rs, ctx) -> map(rs))
                .list();
    }

    private static JobRow map(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new JobRow(rs.getString("job_id"), rs.getString("job_type"), rs.getString("status"), rs.getString("triggered_by"),
                rs.getString("source"), rs.getString("options_json"), rs.getString("created_at"), rs.getString("started_at"),
                rs.getString("finished_at"), rs.getInt("progress_percent"), rs.getString("progress_step"), rs.getLong("progress_done"),
                rs.getLong("progress_total"), rs.getString("result_summary"), rs.getString("error"), rs.getInt("cancel_requested") == 1,
                rs.getString("retry_of"), rs.getString("telemetry_json"));
    }
}
