package dev.chl.common;

/** Base of the errors that features raise on purpose; adapters turn each kind into its protocol's error. */
public abstract sealed class ChlException extends RuntimeException
        permits ValidationException, NotFoundException, ConflictException, UnavailableException {
    protected ChlException(String message) {
        super(message);
    }
}
