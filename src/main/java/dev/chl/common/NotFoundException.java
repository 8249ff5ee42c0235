package dev.chl.common;

/** The thing asked for does not exist. */
public final class NotFoundException extends ChlException {
    public NotFoundException(String message) {
        super(message);
    }
}
