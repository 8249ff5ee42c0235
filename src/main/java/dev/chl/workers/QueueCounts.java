package dev.chl.workers;

/** Entries waiting for an embedding, and entries whose embedding failed for good. */
public record QueueCounts(long pending, long failed) {}
