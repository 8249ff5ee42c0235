package dev.chl.ops;

import dev.chl.model.WireValue;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * A job's lifecycle as an explicit state machine: every allowed transition is listed here and nowhere else.
 * <pre>
 *   queued ──► running ──► succeeded | failed | timed_out
 *     │           │
 *     │           └──► cancel_requested ──► cancelled | succeeded | failed | timed_out
 *     └──► cancelled | failed
 * </pre>
 * A cancel request only asks; the job is {@code cancelled} once its code has stopped at a checkpoint (or finished
 * first, when it ends as whatever it reached).
 */
public enum JobStatus implements WireValue {
    QUEUED("queued"),
    RUNNING("running"),
    CANCEL_REQUESTED("cancel_requested"),
    SUCCEEDED("succeeded"),
    FAILED("failed"),
    CANCELLED("cancelled"),
    TIMED_OUT("timed_out");

    private static final Map<JobStatus, Set<JobStatus>> ALLOWED = Map.of(
            QUEUED, EnumSet.of(RUNNING, CANCELLED, FAILED),
            RUNNING, EnumSet.of(CANCEL_REQUESTED, SUCCEEDED, FAILED, TIMED_OUT),
            CANCEL_REQUESTED, EnumSet.of(CANCELLED, SUCCEEDED, FAILED, TIMED_OUT),
            SUCCEEDED, EnumSet.noneOf(JobStatus.class),
            FAILED, EnumSet.noneOf(JobStatus.class),
            CANCELLED, EnumSet.noneOf(JobStatus.class),
            TIMED_OUT, EnumSet.noneOf(JobStatus.class));

    private final String wire;

    JobStatus(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }

    public boolean canBecome(JobStatus next) {
        return ALLOWED.get(this).contains(next);
    }

    public boolean finished() {
        return ALLOWED.get(this).isEmpty();
    }

    public static JobStatus fromWire(String field, String value) {
        return WireValue.parse(JobStatus.class, field, value);
    }
}
