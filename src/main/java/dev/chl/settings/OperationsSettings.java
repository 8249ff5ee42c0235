package dev.chl.settings;

/** Long-running jobs: how long one may run before it ends timed_out, and how often telemetry is sampled. */
public record OperationsSettings(int jobTimeoutSeconds, int telemetryIntervalSeconds) {
    public static final OperationsSettings DEFAULTS = new OperationsSettings(15 * 60, 5);
}
