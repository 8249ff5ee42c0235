package dev.chl.workers;

import java.time.Duration;

/**
 * How often each worker writes its heartbeat, how old a heartbeat may get before the worker shows as stale, and how
 * long a worker may go without any progress (a loop turn, a model call, an entry stored) before it counts as stuck
 * and its heartbeats stop. Tests shorten them; the server runs with {@link #DEFAULTS}.
 */
record WorkerTimings(Duration heartbeat, Duration staleAfter, Duration stuckAfter) {
    /** DESIGN §5 asks for a heartbeat at least every 5 s; a minute without any progress is not "busy" any more. */
    static final WorkerTimings DEFAULTS = new WorkerTimings(Duration.ofSeconds(4), Duration.ofSeconds(15), Duration.ofSeconds(60));
}
