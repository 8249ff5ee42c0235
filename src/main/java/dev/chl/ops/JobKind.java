package dev.chl.ops;

import java.util.Map;

/** How to run one job type: checks the request's options (throwing a validation error) and makes the job's body. */
public interface JobKind {
    JobType type();

    /** Validated, normalised options to store with the job (so a retry runs the same thing). */
    Map<String, Object> options(Map<String, Object> requested);

    JobBody body(Map<String, Object> options);
}
