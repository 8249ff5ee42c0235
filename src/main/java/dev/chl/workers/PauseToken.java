package dev.chl.workers;

import java.util.concurrent.atomic.AtomicBoolean;

/** A job's counted pause of the workers; closing it (once) gives the pause back. */
public final class PauseToken implements AutoCloseable {
    private final EmbeddingWorkers workers;
    private final AtomicBoolean returned = new AtomicBoolean();

    PauseToken(EmbeddingWorkers workers) {
        this.workers = workers;
    }

    @Override
    public void close() {
        if (returned.compareAndSet(false, true)) {
            workers.returnToken();
        }
    }
}
