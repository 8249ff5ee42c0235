package dev.chl.web;

import dev.chl.ops.JobStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A job as the console shows it, read from the job's API view (the contract in API.md). */
public record JobView(String id, String type, String status, String triggeredBy, String source, String createdAt,
                      String startedAt, String finishedAt, int percent, String step, long done, long total, String error,
                      boolean cancelRequested, Map<String, Object> options, Map<String, Object> result) {

    @SuppressWarnings("unchecked")
    static JobView of(Map<String, Object> job) {
        if (job == null) {
            return null;
        }
        Map<String, Object> progress = job.get("progress") instanceof Map<?, ?> p ? (Map<String, Object>) p : Map.of();
        return new JobView(text(job.get("job_id")), text(job.get("job_type")), text(job.get("status")), text(job.get("triggered_by")),
                text(job.get("source")), text(job.get("created_at")), text(job.get("started_at")), text(job.get("finished_at")),
                (int) number(progress.get("percent")), text(progress.get("step")), number(progress.get("done")),
                number(progress.get("total")), text(job.get("error")), Boolean.TRUE.equals(job.get("cancel_requested")),
                job.get("options") instanceof Map<?, ?> o ? (Map<String, Object>) o : Map.of(),
                job.get("result_summary") instanceof Map<?, ?> r ? (Map<String, Object>) r : Map.of());
    }

    static List<JobView> all(List<Map<String, Object>> jobs) {
        return jobs.stream().map(JobView::of).toList();
    }

    public boolean active() {
        return !JobStatus.fromWire("status", status).finished();
    }

    public boolean dryRun() {
        return Boolean.TRUE.equals(options.get("dry_run"));
    }

    public String label() {
        return type.equals("import") && dryRun() ? "Import (dry run)" : labelOf(type);
    }

    /** How the console names a job type. */
    public static String labelOf(String type) {
        return switch (type) {
            case "import" -> "Import";
            case "export" -> "Export";
            case "index-rebuild" -> "Index rebuild";
            case "embeddings-sync" -> "Embeddings sync";
            case "backup" -> "Backup";
            default -> type;
        };
    }

    /** The error as an operator reads it: without the API's field name in front of a refused apply's reason. */
    public String errorText() {
        return error != null && error.startsWith("expect_plan: ") ? error.substring("expect_plan: ".length()) : error;
    }

    public String statusLabel() {
        return status.replace('_', ' ');
    }

    /** How long it ran (or has been running). */
    public String duration() {
        if (startedAt == null) {
            return "—";
        }
        try {
            Instant end = finishedAt == null ? Instant.now() : Instant.parse(finishedAt);
            return Fmt.millis(Duration.between(Instant.parse(startedAt), end).toMillis());
        } catch (RuntimeException e) {
            return "—";
        }
    }

    public String progressText() {
        String counts = total > 0 ? Fmt.count(done) + " / " + Fmt.count(total) : done > 0 ? Fmt.count(done) : "";
        String what = step == null ? "" : step;
        return (what + (counts.isEmpty() ? "" : " · " + counts)).strip();
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : 0;
    }
}
