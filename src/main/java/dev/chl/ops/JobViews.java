package dev.chl.ops;

import dev.chl.store.JobRow;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The JSON shape of a job in API.md, shared by every adapter that renders one. */
public final class JobViews {
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};

    private final JsonMapper json;

    public JobViews(JsonMapper json) {
        this.json = json;
    }

    public Map<String, Object> job(JobRow row) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("job_id", row.jobId());
        view.put("job_type", row.jobType());
        view.put("status", row.status());
        view.put("triggered_by", row.triggeredBy());
        view.put("source", row.source());
        view.put("created_at", row.createdAt());
        view.put("started_at", row.startedAt());
        view.put("finished_at", row.finishedAt());
        view.put("progress", new Progress(row.progressPercent(), row.progressStep(), row.progressDone(), row.progressTotal()).toMap());
        view.put("options", parse(row.optionsJson()));
        view.put("result_summary", parse(row.resultSummary()));
        view.put("error", row.error());
        view.put("cancel_requested", row.cancelRequested());
        view.put("retry_of", row.retryOf());
        view.put("telemetry", parse(row.telemetryJson()));
        return view;
    }

    Map<String, Object> parse(String text) {
        return text == null ? null : json.readValue(text, OBJECT);
    }
}
