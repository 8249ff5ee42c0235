package dev.chl.ops;

import java.util.Map;

/** What a running job may use: its options, progress reports, cancellation checkpoints and a quiet index. */
public interface JobContext {
    String jobId();

    Map<String, Object> options();

    /** Reports progress; cheap to call often (writes are throttled). */
    void progress(String step, long done, long total);

    /**
     * Stops the job here when it was cancelled or ran past its timeout, by throwing {@link JobStoppedException}.
     * Call between steps (batches, rows); undo partial work in a {@code finally} or catch.
     */
    void checkpoint();

    /**
     * Pauses the embedding workers and waits until no batch is in flight; they resume when the job ends, whatever
     * the outcome. The steps show in the job's progress and the workers' status.
     */
    void quiesceWorkers() throws InterruptedException;
}
