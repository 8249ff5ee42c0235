package dev.chl.common;

/**
 * Whether a failure was a full disk (SQLite's SQLITE_FULL, or the file system's "No space left on device"), so every
 * door can say what to do about it instead of "internal error" with a stack trace.
 */
public final class DiskFull {
    /** What a person can do about it. */
    public static final String REMEDY = "the disk holding the data directory is full; nothing was saved. Free space (old "
            + "backups in backups/, export files in exports/, or lower retention.backups_kept) and try again";

    private DiskFull() {}

    public static boolean is(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = String.valueOf(t.getMessage());
            if (message.contains("SQLITE_FULL") || message.contains("No space left on device")) {
                return true;
            }
        }
        return false;
    }
}
