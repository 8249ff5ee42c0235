package dev.chl.workers;

import dev.chl.common.Times;
import dev.chl.store.Database;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/** Background task: deletes worker heartbeats older than the retention window (a rolling window, default 24 h). */
public final class WorkerMetricsPruneTask implements Runnable {
    private final Database database;
    private final Clock clock;
    private final Supplier<Duration> retention;

    public WorkerMetricsPruneTask(Database database, Clock clock, Supplier<Duration> retention) {
        this.database = database;
        this.clock = clock;
        this.retention = retention;
    }

    @Override
    public void run() {
        String cutoff = Times.format(clock.instant().minus(retention.get()));
        database.write(tx -> tx.workerMetrics().deleteOlderThan(cutoff));
    }
}
