package dev.chl.search;

/** The index card of API.md: what the index holds, what waits, and when it was last rebuilt. */
public record IndexStatus(long documents, long vectors, long pending, long failed, String model, int dimension,
                          long sizeBytes, String lastRebuildAt, Long lastRebuildMs, String checksum, String state) {}
