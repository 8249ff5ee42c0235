package dev.chl.store;

import org.jdbi.v3.core.Handle;

/** The tables, bound to one connection (and, inside {@link Database#write}, to one transaction). */
public final class Tx {
    private final Handle handle;
    private final Dialect dialect;

    Tx(Handle handle, Dialect dialect) {
        this.handle = handle;
        this.dialect = dialect;
    }

    public CategoryTable categories() {
        return new CategoryTable(handle);
    }

    public EntryTable entries() {
        return new EntryTable(handle);
    }

    public AuditTable audit() {
        return new AuditTable(handle);
    }

    public VectorTable vectors() {
        return new VectorTable(handle);
    }

    public WorkerMetricsTable workerMetrics() {
        return new WorkerMetricsTable(handle);
    }

    public JobTable jobs() {
        return new JobTable(handle);
    }

    public LockTable locks() {
        return new LockTable(handle);
    }

    /** An online, consistent copy of the whole database into {@code file} (SQLite: VACUUM INTO), while writes go on. */
    public void backupTo(java.nio.file.Path file) {
        if (dialect != Dialect.SQLITE) {
            throw new UnsupportedOperationException("online backup is implemented for SQLite; use pg_dump for PostgreSQL");
        }
        handle.execute("VACUUM INTO ?", file.toAbsolutePath().toString());
    }

    public SettingsTable settings() {
        return new SettingsTable(handle);
    }

    Handle handle() {
        return handle;
    }

    Dialect dialect() {
        return dialect;
    }
}
