package dev.chl.common;

/**
 * Whether a failure was a full disk (SQLite's SQLITE_FULL, or the file system's "No space left on device"), so every
 * door can say what to do about it instead of "internal error" with a stack trace.
 */
public final class DiskFull {
    /** What a person can do about it. */
    public static final String REMEDY = "a disk the server writes to (the data directory's, or the temporary directory's) "
            + "is full; nothing was saved. Free space (old backups in backups/, export files in exports/, or lower "
            + "retention.backups_kept) and try again";

    private DiskFull() {}

    public static boolean is(Throwable failure) {
        return is(failure, java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
    }

    /** Walks causes and suppressed exceptions (a failure while closing), each once: a cause cycle must not loop. */
    private static boolean is(Throwable t, java.util.Set<Throwable> seen) {
        if (t == null || !seen.add(t)) {
            return false;
        }
        String message = String.valueOf(t.getMessage());
        if (message.contains("SQLITE_FULL") || message.contains("No space left on device")) {
            return true;
        }
        for (Throwable suppressed : t.getSuppressed()) {
            if (is(suppressed, seen)) {
                return true;
            }
        }
        return is(t.getCause(), seen);
    }
}
