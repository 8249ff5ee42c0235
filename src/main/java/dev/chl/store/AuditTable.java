package dev.chl.store;

import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;

/** All SQL for the {@code audit_log} table. */
public final class AuditTable {
    private final Handle handle;

    AuditTable(Handle handle) {
        this.handle = handle;
    }

    public void insert(String timestamp, String actor, String source, String action, String detailsJson) {
        handle.createUpdate("""
                        INSERT INTO audit_log (timestamp, actor, source, action, details_json)
                        VALUES (:timestamp, :actor, :source, :action, :details_json)""")
                .bind("timestamp", timestamp)
                .bind("actor", actor)
                .bind("source", source)
                .bind("action", action)
                .bind("details_json", detailsJson)
                .execute();
    }

    public List<AuditRow> list(AuditQuery q) {
        List<String> where = new ArrayList<>();
        if (q.actor() != null) where.add("actor = :actor");
        if (q.action() != null) where.add("action = :action");
        if (q.since() != null) where.add("timestamp >= :since");
        if (q.beforeId() != null) where.add("id < :before_id");
        return handle.createQuery("SELECT id, timestamp, actor, source, action, details_json FROM audit_log"
                        + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
                        + " ORDER BY id DESC LIMIT :limit")
                .bind("actor", q.actor())
                .bind("action", q.action())
                .bind("since", q.since())
                .bind("before_id", q.beforeId())
                .bind("limit", q.limit())
                .map((rs, ctx) -> new AuditRow(rs.getLong("id"), rs.getString("timestamp"), rs.getString("actor"),
                        rs.getString("source"), rs.getString("action"), rs.getString("details_json")))
                .list();
    }

    public long count() {
        return handle.createQuery("SELECT count(*) FROM audit_log").mapTo(Long.class).one();
    }

    /** Deletes rows older than {@code cutoff}; returns how many went. */
    public int deleteOlderThan(String cutoff) {
        return handle.createUpdate("DELETE FROM audit_log WHERE timestamp < :cutoff").bind("cutoff", cutoff).execute();
    }
}
