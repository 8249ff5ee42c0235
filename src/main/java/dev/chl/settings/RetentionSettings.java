package dev.chl.settings;

import java.time.Duration;

/** How long the rolling tables keep their rows, and how many database backups stay on disk. */
public record RetentionSettings(int auditDays, int workerMetricsHours, int backupsKept) {
    public static final int DEFAULT_BACKUPS_KEPT = 20;
    public static final RetentionSettings DEFAULTS = new RetentionSettings(90, 24, DEFAULT_BACKUPS_KEPT);

    public RetentionSettings {
        // Rows saved before backups were counted have no backups_kept (read as 0): they keep the default.
        if (backupsKept <= 0) {
            backupsKept = DEFAULT_BACKUPS_KEPT;
        }
    }

    public Duration audit() {
        return Duration.ofDays(auditDays);
    }

    public Duration workerMetrics() {
        return Duration.ofHours(workerMetricsHours);
    }
}
