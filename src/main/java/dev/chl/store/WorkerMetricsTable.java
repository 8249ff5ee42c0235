package dev.chl.store;

import java.util.List;
import org.jdbi.v3.core.Handle;

/** All SQL for {@code worker_metrics}: heartbeats and counters, a rolling window. */
public final class WorkerMetricsTable {
    private final Handle handle;

    WorkerMetricsTable(Handle handle) {
        this.handle = handle;
    }

    public void insert(WorkerMetricRow row) {
        handle.createUpdate("""
                        INSERT INTO worker_metrics (worker_id, heartbeat_at, status, queue_depth, processed, failed, payload_json)
                        VALUES (:worker_id, :heartbeat_at, :status, :queue_depth, :processed, :failed, :payload_json)""")
                .bind("worker_id", row.workerId())
                .bind("heartbeat_at", row.heartbeatAt())
                .bind("status", row.status())
                .bind("queue_depth", row.queueDepth())
                .bind("processed", row.processed())
                .bind("failed", row.failed())
                .bind("payload_json", row.payloadJson())
                .execute();
    }

    /** Rows of one worker since {@code since}, oldest first. */
    public List<WorkerMetricRow> since(String workerId, String since) {
        return handle.createQuery("SELECT worker_id, heartbeat_at, status, queue_depth, processed, failed, payload_json"
                        + " FROM worker_metrics WHERE worker_id = :worker AND heartbeat_at >= :since ORDER BY heartbeat_at")
                .bind("worker", workerId)
                .bind("since", since)
                .map((rs, ctx) -> new WorkerMetricRow(rs.getString("worker_id"), rs.getString("heartbeat_at"), rs.getString("status"),
                        rs.getInt("queue_depth"), rs.getLong("processed"), rs.getLong("failed"), rs.getString("payload_json")))
                .list();
    }

    public int deleteOlderThan(String cutoff) {
        return handle.createUpdate("DELETE FROM worker_metrics WHERE heartbeat_at < :cutoff").bind("cutoff", cutoff).execute();
    }
}
