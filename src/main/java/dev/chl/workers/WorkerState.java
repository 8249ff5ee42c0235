package dev.chl.workers;

import java.time.Instant;

/** What the console and API show for one worker. */
public record WorkerState(String id, String status, long processed, long failed, Instant lastHeartbeatAt, boolean stale) {}
