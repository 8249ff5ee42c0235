package dev.chl.index;

/**
 * The live index cannot be read: a file of it is missing or fails its checksum. Only a rebuild from the database heals
 * it; callers answer "unavailable" rather than a bare internal error.
 */
public final class IndexDamagedException extends RuntimeException {
    IndexDamagedException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
