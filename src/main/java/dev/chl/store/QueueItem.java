package dev.chl.store;

import dev.chl.model.Kind;

/**
 * An entry waiting for its embedding, with the attempts made so far and its {@code updated_at} (fixed-width text, so
 * it sorts as time: the queue is oldest first across both kinds).
 */
public record QueueItem(Kind kind, String id, int attempts, String updatedAt) {}
