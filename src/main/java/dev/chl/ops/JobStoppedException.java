package dev.chl.ops;

/** Thrown at a checkpoint when a job must stop: it was cancelled, or it ran past its timeout. */
public final class JobStoppedException extends RuntimeException {
    private final JobStatus outcome;

    JobStoppedException(JobStatus outcome, String message) {
        super(message);
        this.outcome = outcome;
    }

    JobStatus outcome() {
        return outcome;
    }
}
