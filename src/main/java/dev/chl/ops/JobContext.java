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

    /**
     * Records, inside the transaction that makes the job's work permanent, that it is, with the summary so far: if the
     * process dies before the job ends (e.g. while the index catches up), the restart ends it succeeded with this
     * summary instead of "failed" over changes that were in fact saved.
     */
    void committed(dev.chl.store.Tx tx, Map<String, Object> summary);
}
