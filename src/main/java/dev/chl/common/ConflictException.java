package dev.chl.common;

import java.util.Map;

/** The request is valid but clashes with the current state (a duplicate code, a category still in use, a held lock). */
public final class ConflictException extends ChlException {
    private final Map<String, Object> extensions;

    public ConflictException(String message) {
        this(message, Map.of());
    }

    /** @param extensions extra members for the problem document, e.g. {@code holder_job_id}. */
    public ConflictException(String message, Map<String, Object> extensions) {
        super(message);
        this.extensions = Map.copyOf(extensions);
    }

    public Map<String, Object> extensions() {
        return extensions;
    }
}
