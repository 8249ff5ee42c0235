package dev.chl.ops;

import dev.chl.common.Input;
import dev.chl.model.Actor;
import dev.chl.workers.EmbeddingWorkers;
import java.util.Map;
import java.util.Set;

/**
 * Re-queues embeddings: failed entries get a fresh retry budget and entries without a vector from the current
 * model go back to pending; the workers take it from there.
 */
public final class EmbeddingsSyncJob implements JobKind {
    private final EmbeddingWorkers workers;
    private final dev.chl.search.IndexService index;

    public EmbeddingsSyncJob(EmbeddingWorkers workers, dev.chl.search.IndexService index) {
        this.workers = workers;
        this.index = index;
    }

    @Override
    public JobType type() {
        return JobType.EMBEDDINGS_SYNC;
    }

    @Override
    public Map<String, Object> options(Map<String, Object> requested) {
        new Input(requested).allowOnly(Set.of()).check();
        return Map.of();
    }

    @Override
    public JobBody body(Map<String, Object> options) {
        return ctx -> {
            ctx.progress("re-queueing failed entries", 0, 2);
            int failed = workers.retryFailed(Actor.system());
            ctx.checkpoint();
            ctx.progress("re-queueing entries without a vector", 1, 2);
            int missing = index.requeueMissingVectors();
            workers.wake();
            ctx.progress("queued", 2, 2);
            return Map.of("requeued_failed", failed, "requeued_without_vector", missing,
                    "pending_now", workers.queue().pending());
        };
    }
}
