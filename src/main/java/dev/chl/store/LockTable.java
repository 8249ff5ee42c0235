package dev.chl.store;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** All SQL for {@code operation_locks}: advisory locks held by jobs as renewable leases. */
public final class LockTable {
    private final Handle handle;

    LockTable(Handle handle) {
        this.handle = handle;
    }

    /** The job holding {@code name}, if any lease on it has not expired at {@code now}. */
    public Optional<String> holder(String name, String now) {
        return handle.createQuery("SELECT owner_job_id FROM operation_locks WHERE name = :name AND expires_at > :now")
                .bind("name", name).bind("now", now).mapTo(String.class).findOne();
    }

    /** Takes {@code name} for a job, replacing an expired lease; the caller checked {@link #holder} in the same transaction. */
    public void take(String name, String jobId, String now, String expiresAt) {
        handle.createUpdate("DELETE FROM operation_locks WHERE name = :name").bind("name", name).execute();
        handle.createUpdate("INSERT INTO operation_locks (name, owner_job_id, acquired_at, expires_at) VALUES (:name, :job, :now, :expires)")
                .bind("name", name).bind("job", jobId).bind("now", now).bind("expires", expiresAt).execute();
    }

    public int renew(String jobId, String expiresAt) {
        return handle.createUpdate("UPDATE operation_locks SET expires_at = :expires WHERE owner_job_id = :job")
                .bind("job", jobId).bind("expires", expiresAt).execute();
    }

    public int releaseAll(String jobId) {
        return handle.createUpdate("DELETE FROM operation_locks WHERE owner_job_id = :job").bind("job", jobId).execute();
    }

    public List<String> heldBy(String jobId) {
        return handle.createQuery("SELECT name FROM operation_locks WHERE owner_job_id = :job ORDER BY name")
                .bind("job", jobId).mapTo(String.class).list();
    }

    /** Every lock row with its owner, for recovery at start-up. */
    public List<String> owners() {
        return handle.createQuery("SELECT DISTINCT owner_job_id FROM operation_locks").mapTo(String.class).list();
    }

    public int deleteAll() {
        return handle.createUpdate("DELETE FROM operation_locks").execute();
    }
}
