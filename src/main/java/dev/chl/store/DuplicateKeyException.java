package dev.chl.store;

/** An insert hit an existing primary or unique key. */
public final class DuplicateKeyException extends RuntimeException {
    DuplicateKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
