package dev.chl.audit;

import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Background task: deletes audit rows past the retention window read from settings at each run. */
public final class AuditPruneTask implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditPruneTask.class);

    private final AuditLog log;
    private final Supplier<Duration> retention;

    public AuditPruneTask(AuditLog log, Supplier<Duration> retention) {
        this.log = log;
        this.retention = retention;
    }

    @Override
    public void run() {
        Duration window = retention.get();
        int removed = log.prune(window);
        if (removed > 0) {
            LOG.info("pruned {} audit rows older than {} days", removed, window.toDays());
        }
    }
}
