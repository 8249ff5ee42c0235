package dev.chl.settings;

/** The embedding worker pool: how many workers, how many entries per batch, how many tries before "failed". */
public record WorkerSettings(int count, int batchSize, int maxAttempts) {
    public static final WorkerSettings DEFAULTS = new WorkerSettings(1, 16, 3);
}
