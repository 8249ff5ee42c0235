package dev.chl.store;

/** One heartbeat sample of a worker. */
public record WorkerMetricRow(String workerId, String heartbeatAt, String status, int queueDepth, long processed, long failed,
                              String payloadJson) {}
