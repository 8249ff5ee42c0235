package dev.chl.store;

/** A job_history row as stored: JSON members as text, timestamps as ISO text. */
public record JobRow(
        String jobId,
        String jobType,
        String status,
        String triggeredBy,
        String source,
        String optionsJson,
        String createdAt,
        String startedAt,
        String finishedAt,
        int progressPercent,
        String progressStep,
        long progressDone,
        long progressTotal,
        String resultSummary,
        String error,
        boolean cancelRequested,
        String retryOf,
        String telemetryJson) {}
