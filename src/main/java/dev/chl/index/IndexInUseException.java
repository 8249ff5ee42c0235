package dev.chl.index;

/** The index's files are locked by another process: nothing here may open, replace or delete them. */
public final class IndexInUseException extends RuntimeException {
    public IndexInUseException(String message, Throwable cause) {
        super(message, cause);
    }
}
