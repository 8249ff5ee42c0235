package dev.chl.common;

import java.util.Map;

/** A part the request needs is out of service for now (the search index being healed); the message says what to do. */
public final class UnavailableException extends ChlException {
    private final Map<String, Object> extensions;

    /** @param extensions extra members for the problem document, e.g. {@code heal_job_id}. */
    public UnavailableException(String message, Map<String, Object> extensions) {
        super(message);
        this.extensions = Map.copyOf(extensions);
    }

    public Map<String, Object> extensions() {
        return extensions;
    }
}
