package dev.chl.settings;

import java.time.Duration;

/** How long the rolling tables keep their rows. */
public record RetentionSettings(int auditDays, int workerMetricsHours) {
    public static final RetentionSettings DEFAULTS = new RetentionSettings(90, 24);

    public Duration audit() {
        return Duration.ofDays(auditDays);
    }

    public Duration workerMetrics() {
        return Duration.ofHours(workerMetricsHours);
    }
}
