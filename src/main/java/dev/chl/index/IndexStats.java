package dev.chl.index;

/**
 * What the live index holds.
 *
 * @param maxUpdatedAtMillis newest entry update the index has seen (0 when empty), to compare with the database
 */
public record IndexStats(long experiences, long manuals, long vectors, long maxUpdatedAtMillis, long sizeBytes,
                         String generation, String modelId, int dimension) {
    public long documents() {
        return experiences + manuals;
    }
}
